package dev.boardcast.task;

import java.time.LocalDate;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

import dev.boardcast.board.BoardOf;
import dev.boardcast.board.BoardRole;
import dev.boardcast.board.BoardService;
import dev.boardcast.board.BoardWrites;
import dev.boardcast.board.Change;
import dev.boardcast.board.IdempotencyKey;
import dev.boardcast.column.Column;
import dev.boardcast.column.ColumnService;
import dev.boardcast.common.ApiException;
import dev.boardcast.common.Conflicts;
import dev.boardcast.common.Connection;
import dev.boardcast.common.FractionalKeys;
import dev.boardcast.common.Ids;
import dev.boardcast.common.Inputs;
import dev.boardcast.common.PageRequest;
import dev.boardcast.common.PagedKey;
import dev.boardcast.common.PagedLoads;
import dev.boardcast.common.Placement;
import dev.boardcast.events.EventKind;
import dev.boardcast.label.LabelService;
import reactor.core.publisher.Mono;

import org.springframework.graphql.data.ArgumentValue;
import org.springframework.stereotype.Service;

/** Tasks: creation, edits, moves between neighbours, and the lists they appear in. */
@Service
public class TaskService {

	static final int MAX_TITLE = 200;

	static final int MAX_DESCRIPTION = 20_000;

	/** Labels a task may carry; also the size the query cost assumes for Task.labels. */
	public static final int MAX_LABELS_PER_TASK = 20;

	private final TaskRepository tasks;

	private final BoardWrites writes;

	private final BoardService boards;

	private final ColumnService columns;

	private final LabelService labels;

	TaskService(TaskRepository tasks, BoardWrites writes, BoardService boards, ColumnService columns,
			LabelService labels) {
		this.tasks = tasks;
		this.writes = writes;
		this.boards = boards;
		this.columns = columns;
		this.labels = labels;
	}

	/**
	 * A task regardless of who asks: for use inside a board write that checked
	 * membership.
	 */
	public Mono<Task> task(UUID id) {
		return this.tasks.find(id);
	}

	/** A task, only if {@code userId} is a member of its board. */
	public Mono<Task> visibleTask(UUID id, UUID userId) {
		return this.tasks.findVisible(id, userId);
	}

	public Mono<Map<UUID, Task>> byIds(Collection<UUID> ids) {
		return this.tasks.findByIds(ids).collect(Collectors.toMap(Task::id, Function.identity()));
	}

	/**
	 * A page of each column's tasks; keys are grouped by page so each group is one
	 * statement.
	 */
	public Mono<Map<PagedKey, Connection<Task>>> byColumns(Set<PagedKey> keys) {
		return PagedLoads.load(keys, this.tasks::findByColumns, Task::columnId,
				(task) -> PageRequest.cursor("task", task.position()));
	}

	public Mono<Map<UUID, Integer>> countsByColumns(Collection<UUID> columnIds) {
		return this.tasks.countByColumns(columnIds).collectMap(Map.Entry::getKey, Map.Entry::getValue);
	}

	public Mono<Long> countInColumn(UUID columnId) {
		return this.tasks.countInColumn(columnId);
	}

	/**
	 * Moves every task of a column, in order, to the end of another; inside a board
	 * write.
	 */
	public Mono<Long> moveAllToEnd(UUID fromColumnId, UUID toColumnId, boolean intoDone) {
		return this.tasks.lastPosition(toColumnId, new UUID(0, 0))
			.map(Optional::of)
			.defaultIfEmpty(Optional.empty())
			.zipWith(this.tasks.idsInColumn(fromColumnId).collectList())
			.flatMap((tuple) -> {
				List<UUID> ids = tuple.getT2();
				String[] positions = new String[ids.size()];
				String previous = tuple.getT1().orElse(null);
				for (int i = 0; i < positions.length; i++) {
					previous = FractionalKeys.between(previous, null);
					positions[i] = previous;
				}
				return this.tasks.moveAll(ids.toArray(UUID[]::new), positions, toColumnId, intoDone);
			});
	}

	/** Removes a deleted label from every task of its board; inside a board write. */
	public Mono<Long> stripLabel(UUID boardId, UUID labelId) {
		return this.tasks.stripLabel(boardId, labelId);
	}

	public Mono<Connection<Task>> search(UUID boardId, TaskFilterInput filter, Integer first, String after) {
		PageRequest page = PageRequest.of(first, after, "number");
		if (page.after() != null && !page.after().matches("\\d{1,9}")) {
			throw ApiException.badInput("after", "is not a valid cursor for this list");
		}
		TaskSearch search = validate(filter);
		return this.tasks.search(boardId, search, page)
			.collectList()
			.map((rows) -> Connection.of(rows, page, (task) -> PageRequest.cursor("number", task.number())));
	}

	private static TaskSearch validate(TaskFilterInput filter) {
		if (filter == null) {
			return new TaskSearch(null, null, List.of(), null, null, null);
		}
		String text = (filter.text() != null) ? Inputs.required("filter.text", filter.text(), 200) : null;
		return new TaskSearch(Ids.parseOptional("filter.columnId", "column", filter.columnId()),
				Ids.parseOptional("filter.assigneeId", "user", filter.assigneeId()),
				(filter.labelIds() != null) ? Ids.parseAll("filter.labelIds", "label", filter.labelIds()) : List.of(),
				filter.dueBefore(), filter.dueAfter(), text);
	}

	record NewTask(String columnId, String title, String description, String assigneeId, LocalDate dueDate,
			TaskPriority priority, List<String> labelIds, String afterId, String beforeId, String clientMutationId) {
	}

	Mono<Task> create(UUID viewerId, NewTask input) {
		UUID columnId = Ids.parse("input.columnId", "column", input.columnId());
		String title = Inputs.required("input.title", input.title(), MAX_TITLE);
		String description = (input.description() != null)
				? Inputs.optional("input.description", input.description(), MAX_DESCRIPTION) : "";
		UUID assigneeId = Ids.parseOptional("input.assigneeId", "user", input.assigneeId());
		List<UUID> labelIds = labelIds("input.labelIds", input.labelIds());
		UUID afterId = Ids.parseOptional("input.afterId", "task", input.afterId());
		UUID beforeId = Ids.parseOptional("input.beforeId", "task", input.beforeId());
		IdempotencyKey key = IdempotencyKey.of(viewerId, input.clientMutationId(), "createTask", input.columnId(),
				input.title(), input.description(), input.assigneeId(), input.dueDate(), input.priority(),
				input.labelIds(), input.afterId(), input.beforeId());
		UUID id = UUID.randomUUID();
		return this.writes.once(key, "task", (board, created) -> this.tasks.find(created), () -> this.columns
			.column(columnId)
			.switchIfEmpty(Mono.error(() -> ApiException.notFound("column", "input.columnId")))
			.flatMap((known) -> this.writes.write(known.boardId(), viewerId, BoardRole.EDITOR,
					() -> ApiException.notFound("column", "input.columnId"), key,
					(context) -> this.columns.column(columnId)
						.switchIfEmpty(Mono.error(() -> ApiException.notFound("column", "input.columnId")))
						.flatMap((column) -> requireAssignee(column.boardId(), assigneeId, "input.assigneeId")
							.then(this.labels.requireOnBoard(column.boardId(), labelIds, "input.labelIds"))
							.then(position(column, id, afterId, beforeId))
							.zipWith(this.writes.nextTaskNumber(column.boardId()))
							.flatMap((placed) -> this.tasks.insert(new Task(id, column.boardId(), columnId,
									placed.getT2(), placed.getT1(), title, description, assigneeId, labelIds,
									input.dueDate(), (input.priority() != null) ? input.priority() : TaskPriority.NONE,
									viewerId, null, null, column.isDone() ? java.time.OffsetDateTime.now() : null, 1))))
						.map((task) -> Change.ofTask(EventKind.TASK_CREATED, id, id, task, task)))));
	}

	record TaskChanges(String taskId, Integer expectedVersion, String title, String description,
			ArgumentValue<String> assigneeId, ArgumentValue<LocalDate> dueDate, TaskPriority priority,
			List<String> labelIds) {
	}

	Mono<Task> update(UUID viewerId, TaskChanges input) {
		UUID taskId = Ids.parse("input.taskId", "task", input.taskId());
		String title = (input.title() != null) ? Inputs.required("input.title", input.title(), MAX_TITLE) : null;
		String description = Inputs.optional("input.description", input.description(), MAX_DESCRIPTION);
		UUID assigneeId = input.assigneeId().isPresent()
				? Ids.parse("input.assigneeId", "user", input.assigneeId().value()) : null;
		List<UUID> labelIds = (input.labelIds() != null) ? labelIds("input.labelIds", input.labelIds()) : null;
		return onTask(viewerId, taskId, (current) -> {
			Conflicts.check(input.expectedVersion(), current.version(), "task", current);
			UUID newAssignee = input.assigneeId().isOmitted() ? current.assigneeId() : assigneeId;
			Mono<Void> checks = (input.assigneeId().isPresent())
					? requireAssignee(current.boardId(), newAssignee, "input.assigneeId") : Mono.empty();
			if (labelIds != null) {
				checks = checks.then(this.labels.requireOnBoard(current.boardId(), labelIds, "input.labelIds").then());
			}
			Task changed = new Task(current.id(), current.boardId(), current.columnId(), current.number(),
					current.position(), (title != null) ? title : current.title(),
					(description != null) ? description : current.description(), newAssignee,
					(labelIds != null) ? labelIds : current.labelIds(),
					input.dueDate().isOmitted() ? current.dueDate() : input.dueDate().value(),
					(input.priority() != null) ? input.priority() : current.priority(), current.createdById(),
					current.createdAt(), current.updatedAt(), current.completedAt(), current.version());
			return checks.then(this.tasks.update(changed))
				.map((task) -> Change.ofTask(EventKind.TASK_UPDATED, taskId, taskId, task, task));
		});
	}

	Mono<Task> move(UUID viewerId, String taskIdInput, String columnIdInput, String afterIdInput, String beforeIdInput,
			Integer expectedVersion) {
		UUID taskId = Ids.parse("input.taskId", "task", taskIdInput);
		UUID columnId = Ids.parseOptional("input.columnId", "column", columnIdInput);
		UUID afterId = Ids.parseOptional("input.afterId", "task", afterIdInput);
		UUID beforeId = Ids.parseOptional("input.beforeId", "task", beforeIdInput);
		if (taskId.equals(afterId) || taskId.equals(beforeId)) {
			throw ApiException.badInput(taskId.equals(afterId) ? "input.afterId" : "input.beforeId",
					"must be another task");
		}
		// One read under the lock for the task, the column, the neighbours and the key
		// beside them; the checks then come in the order they always had.
		return this.writes.write(BoardOf.task(taskId), viewerId, BoardRole.EDITOR,
				() -> ApiException.notFound("task", "input.taskId"),
				(context) -> this.tasks.moveSite(taskId, columnId, afterId, beforeId)
					.switchIfEmpty(Mono.error(() -> ApiException.notFound("task", "input.taskId")))
					.flatMap((site) -> {
						Task current = site.task();
						Conflicts.check(expectedVersion, current.version(), "task", current);
						if (site.columnId() == null || !site.columnBoardId().equals(current.boardId())) {
							return Mono.error(ApiException.notFound("column", "input.columnId"));
						}
						if (afterId != null && !site.columnId().equals(site.afterColumnId())) {
							return Mono.error(ApiException.notFound("task", "input.afterId"));
						}
						if (beforeId != null && !site.columnId().equals(site.beforeColumnId())) {
							return Mono.error(ApiException.notFound("task", "input.beforeId"));
						}
						Mono<String> adjacent = Mono.justOrEmpty(site.adjacentKey());
						return Placement
							.key(site.afterKey(), site.beforeKey(), (key) -> adjacent, (key) -> adjacent,
									() -> adjacent)
							.flatMap((position) -> this.tasks.move(taskId, site.columnId(), position,
									site.columnDone()));
					})
					.map((task) -> Change.ofTask(EventKind.TASK_MOVED, taskId, taskId, task, task)));
	}

	Mono<UUID> delete(UUID viewerId, String taskIdInput) {
		UUID taskId = Ids.parse("input.taskId", "task", taskIdInput);
		return onTask(viewerId, taskId, (current) -> this.tasks.delete(taskId)
			.thenReturn(Change.ofTask(EventKind.TASK_DELETED, taskId, taskId, null, taskId)));
	}

	/**
	 * A write on the board of an existing task (the lock statement finds the board); the
	 * task is read under the board's lock.
	 */
	private <T> Mono<T> onTask(UUID viewerId, UUID taskId, Function<Task, Mono<Change<T>>> work) {
		return this.writes.write(BoardOf.task(taskId), viewerId, BoardRole.EDITOR,
				() -> ApiException.notFound("task", "input.taskId"),
				(context) -> this.tasks.find(taskId)
					.switchIfEmpty(Mono.error(() -> ApiException.notFound("task", "input.taskId")))
					.flatMap(work));
	}

	private Mono<Void> requireAssignee(UUID boardId, UUID assigneeId, String field) {
		if (assigneeId == null) {
			return Mono.empty();
		}
		// like any id from another board: NOT_FOUND, whether the user exists or not
		return this.boards.role(boardId, assigneeId)
			.switchIfEmpty(Mono.error(() -> ApiException.notFound("member", field)))
			.then();
	}

	/**
	 * The order key between the named neighbours, which must be tasks of {@code column}.
	 */
	private Mono<String> position(Column column, UUID self, UUID afterId, UUID beforeId) {
		return neighbourKey(column.id(), afterId, "input.afterId")
			.zipWith(neighbourKey(column.id(), beforeId, "input.beforeId"))
			.flatMap((keys) -> Placement.key(keys.getT1().orElse(null), keys.getT2().orElse(null),
					(key) -> this.tasks.nextPosition(column.id(), key, self),
					(key) -> this.tasks.previousPosition(column.id(), key, self),
					() -> this.tasks.lastPosition(column.id(), self)));
	}

	private Mono<Optional<String>> neighbourKey(UUID columnId, UUID neighbourId, String field) {
		if (neighbourId == null) {
			return Mono.just(Optional.empty());
		}
		return this.tasks.find(neighbourId)
			.filter((task) -> task.columnId().equals(columnId))
			.map((task) -> Optional.of(task.position()))
			.switchIfEmpty(Mono.error(() -> ApiException.notFound("task", field)));
	}

	private static List<UUID> labelIds(String field, List<String> ids) {
		if (ids == null) {
			return List.of();
		}
		if (ids.size() > MAX_LABELS_PER_TASK) {
			throw ApiException.badInput(field, "a task has at most " + MAX_LABELS_PER_TASK + " labels");
		}
		return Ids.parseAll(field, "label", ids);
	}

}
