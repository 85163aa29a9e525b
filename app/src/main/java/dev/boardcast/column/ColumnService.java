package dev.boardcast.column;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

import dev.boardcast.board.BoardRole;
import dev.boardcast.board.BoardWrites;
import dev.boardcast.board.Change;
import dev.boardcast.board.IdempotencyKey;
import dev.boardcast.common.ApiException;
import dev.boardcast.common.Conflicts;
import dev.boardcast.common.Ids;
import dev.boardcast.common.Inputs;
import dev.boardcast.common.Placement;
import dev.boardcast.events.EventKind;
import dev.boardcast.task.TaskService;
import reactor.core.publisher.Mono;

import org.springframework.context.annotation.Lazy;
import org.springframework.graphql.data.ArgumentValue;
import org.springframework.stereotype.Service;

/** Columns: their order on the board and their settings. */
@Service
public class ColumnService {

	/**
	 * Columns a board may have; also the size the query cost assumes for Board.columns.
	 */
	public static final int MAX_COLUMNS = 50;

	private final ColumnRepository columns;

	private final BoardWrites writes;

	private final TaskService tasks;

	/** Tasks need columns and deleting a column moves tasks, hence the lazy reference. */
	ColumnService(ColumnRepository columns, BoardWrites writes, @Lazy TaskService tasks) {
		this.columns = columns;
		this.writes = writes;
		this.tasks = tasks;
	}

	/**
	 * A column regardless of who asks: for use inside a board write that checked
	 * membership.
	 */
	public Mono<Column> column(UUID id) {
		return this.columns.find(id);
	}

	public Mono<Map<UUID, List<Column>>> byBoards(Collection<UUID> boardIds) {
		return this.columns.findByBoards(boardIds).collect(Collectors.groupingBy(Column::boardId));
	}

	public Mono<Map<UUID, Column>> byIds(Collection<UUID> ids) {
		return this.columns.findByIds(ids).collect(Collectors.toMap(Column::id, Function.identity()));
	}

	Mono<Column> create(UUID viewerId, String boardIdInput, String name, String afterIdInput, Boolean isDone,
			Integer wipLimit, String clientMutationId) {
		UUID boardId = Ids.parse("input.boardId", "board", boardIdInput);
		String validName = Inputs.required("input.name", name, 100);
		UUID afterId = Ids.parseOptional("input.afterId", "column", afterIdInput);
		Integer validWip = (wipLimit != null) ? Inputs.range("input.wipLimit", wipLimit, 1, 10_000) : null;
		IdempotencyKey key = IdempotencyKey.of(viewerId, clientMutationId, "createColumn", boardIdInput, name,
				afterIdInput, isDone, wipLimit);
		UUID id = UUID.randomUUID();
		return this.writes.once(key, "column", (board, created) -> this.columns.find(created),
				() -> this.writes.write(boardId, viewerId, BoardRole.EDITOR,
						() -> ApiException.notFound("board", "input.boardId"), key,
						(context) -> this.columns.count(boardId)
							.flatMap((count) -> (count >= MAX_COLUMNS)
									? Mono.error(ApiException.badInput("input.boardId",
											"a board has at most " + MAX_COLUMNS + " columns"))
									: neighbourKey(boardId, afterId, "input.afterId"))
							.flatMap((afterKey) -> position(boardId, id, afterKey.orElse(null), null))
							.flatMap((position) -> this.columns.insert(id, boardId, validName, position,
									Boolean.TRUE.equals(isDone), validWip))
							.map((column) -> Change.of(EventKind.COLUMN_CREATED, id, column, column))));
	}

	Mono<Column> update(UUID viewerId, String columnIdInput, Integer expectedVersion, String name, Boolean isDone,
			ArgumentValue<Integer> wipLimit) {
		UUID columnId = Ids.parse("input.columnId", "column", columnIdInput);
		String newName = (name != null) ? Inputs.required("input.name", name, 100) : null;
		if (wipLimit.isPresent()) {
			Inputs.range("input.wipLimit", wipLimit.value(), 1, 10_000);
		}
		return onColumn(viewerId, columnId, (current) -> {
			Conflicts.check(expectedVersion, current.version(), "column", current);
			return this.columns
				.update(columnId, (newName != null) ? newName : current.name(),
						(isDone != null) ? isDone : current.isDone(),
						wipLimit.isOmitted() ? current.wipLimit() : wipLimit.value())
				.map((column) -> Change.of(EventKind.COLUMN_UPDATED, columnId, column, column));
		});
	}

	Mono<Column> move(UUID viewerId, String columnIdInput, String afterIdInput, String beforeIdInput,
			Integer expectedVersion) {
		UUID columnId = Ids.parse("input.columnId", "column", columnIdInput);
		UUID afterId = Ids.parseOptional("input.afterId", "column", afterIdInput);
		UUID beforeId = Ids.parseOptional("input.beforeId", "column", beforeIdInput);
		if (columnId.equals(afterId) || columnId.equals(beforeId)) {
			throw ApiException.badInput((columnId.equals(afterId)) ? "input.afterId" : "input.beforeId",
					"must be another column");
		}
		return onColumn(viewerId, columnId, (current) -> {
			Conflicts.check(expectedVersion, current.version(), "column", current);
			return neighbourKey(current.boardId(), afterId, "input.afterId")
				.zipWith(neighbourKey(current.boardId(), beforeId, "input.beforeId"))
				.flatMap((keys) -> position(current.boardId(), columnId, keys.getT1().orElse(null),
						keys.getT2().orElse(null)))
				.flatMap((position) -> this.columns.move(columnId, position))
				.map((column) -> Change.of(EventKind.COLUMN_MOVED, columnId, column, column));
		});
	}

	record Deleted(UUID columnId, long movedTaskCount) {
	}

	Mono<Deleted> delete(UUID viewerId, String columnIdInput, String moveTasksToInput) {
		UUID columnId = Ids.parse("input.columnId", "column", columnIdInput);
		UUID targetId = Ids.parseOptional("input.moveTasksTo", "column", moveTasksToInput);
		if (columnId.equals(targetId)) {
			throw ApiException.badInput("input.moveTasksTo", "must be another column");
		}
		// a named target must be a column of the same board even when nothing moves: a
		// foreign id is never accepted silently
		return onColumn(viewerId, columnId, (current) -> target(current.boardId(), targetId)
			.flatMap((target) -> this.tasks.countInColumn(columnId).flatMap((count) -> {
				if (count == 0) {
					return Mono.just(0L);
				}
				if (target.isEmpty()) {
					return Mono.error(ApiException.badInput("input.moveTasksTo",
							"the column holds " + count + " tasks: name a column to move them to"));
				}
				return this.tasks.moveAllToEnd(columnId, target.get().id(), target.get().isDone());
			}))
			.flatMap((moved) -> this.columns.delete(columnId).thenReturn(moved))
			.map((moved) -> Change.of(EventKind.COLUMN_DELETED, columnId, null, new Deleted(columnId, moved))));
	}

	/** The column {@code targetId} of the board, if named; NOT_FOUND otherwise. */
	private Mono<java.util.Optional<Column>> target(UUID boardId, UUID targetId) {
		if (targetId == null) {
			return Mono.just(java.util.Optional.empty());
		}
		return this.columns.find(targetId)
			.filter((target) -> target.boardId().equals(boardId))
			.map(java.util.Optional::of)
			.switchIfEmpty(Mono.error(() -> ApiException.notFound("column", "input.moveTasksTo")));
	}

	/**
	 * A write on the board of an existing column; the column is re-read under the board's
	 * lock.
	 */
	private <T> Mono<T> onColumn(UUID viewerId, UUID columnId, Function<Column, Mono<Change<T>>> work) {
		return this.columns.find(columnId)
			.switchIfEmpty(Mono.error(() -> ApiException.notFound("column", "input.columnId")))
			.flatMap((column) -> this.writes.write(column.boardId(), viewerId, BoardRole.EDITOR,
					() -> ApiException.notFound("column", "input.columnId"),
					(context) -> this.columns.find(columnId)
						.switchIfEmpty(Mono.error(() -> ApiException.notFound("column", "input.columnId")))
						.flatMap(work)));
	}

	/** The order key of a neighbour, which must be a column of the same board. */
	private Mono<java.util.Optional<String>> neighbourKey(UUID boardId, UUID neighbourId, String field) {
		if (neighbourId == null) {
			return Mono.just(java.util.Optional.empty());
		}
		return this.columns.find(neighbourId)
			.filter((column) -> column.boardId().equals(boardId))
			.map((column) -> java.util.Optional.of(column.position()))
			.switchIfEmpty(Mono.error(() -> ApiException.notFound("column", field)));
	}

	private Mono<String> position(UUID boardId, UUID self, String afterKey, String beforeKey) {
		return Placement.key(afterKey, beforeKey, (key) -> this.columns.nextPosition(boardId, key, self),
				(key) -> this.columns.previousPosition(boardId, key, self),
				() -> this.columns.lastPosition(boardId, self));
	}

}
