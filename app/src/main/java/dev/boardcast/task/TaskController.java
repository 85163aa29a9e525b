package dev.boardcast.task;

import java.security.Principal;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import dev.boardcast.board.Board;
import dev.boardcast.board.BoardService;
import dev.boardcast.column.Column;
import dev.boardcast.comment.Comment;
import dev.boardcast.comment.CommentService;
import dev.boardcast.common.ApiException;
import dev.boardcast.common.BatchResults;
import dev.boardcast.common.Conflicts;
import dev.boardcast.common.Connection;
import dev.boardcast.common.Ids;
import dev.boardcast.common.PageRequest;
import dev.boardcast.common.PagedKey;
import dev.boardcast.label.Label;
import dev.boardcast.label.LabelService;
import dev.boardcast.security.Viewer;
import dev.boardcast.user.User;
import dev.boardcast.user.UserService;
import graphql.execution.DataFetcherResult;
import graphql.schema.DataFetchingEnvironment;
import org.dataloader.DataLoader;
import reactor.core.publisher.Mono;

import org.springframework.graphql.data.ArgumentValue;
import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.BatchMapping;
import org.springframework.graphql.data.method.annotation.MutationMapping;
import org.springframework.graphql.data.method.annotation.QueryMapping;
import org.springframework.graphql.data.method.annotation.SchemaMapping;
import org.springframework.graphql.execution.BatchLoaderRegistry;
import org.springframework.stereotype.Controller;

/**
 * The Task type, {@code task} and the task mutations; every field under a list is
 * batched.
 */
@Controller
class TaskController {

	private final TaskService tasks;

	private final BoardService boards;

	private final LabelService labels;

	private final CommentService comments;

	private final UserService users;

	TaskController(TaskService tasks, BoardService boards, LabelService labels, CommentService comments,
			UserService users, BatchLoaderRegistry registry) {
		this.tasks = tasks;
		this.boards = boards;
		this.labels = labels;
		this.comments = comments;
		this.users = users;
		// a column's page of tasks, with the assignees and labels its selection shows
		// (TaskCardFields); the key context says what the selection asks for
		registry.<PagedKey, TaskCardFields.Page>forName("columnTasks")
			.registerMappedBatchLoader((keys, env) -> tasks.byColumns(keys)
				.flatMap((pages) -> TaskCardFields.load(pages, env.getKeyContexts().values(), users, labels)));
		registry.forTypePair(UUID.class, Task.class).registerMappedBatchLoader((ids, env) -> tasks.byIds(ids));
	}

	@QueryMapping
	Mono<Task> task(@Argument String id, Viewer viewer) {
		return Mono.defer(() -> this.tasks.visibleTask(Ids.parse("id", "task", id), viewer.id()))
			.switchIfEmpty(Mono.error(() -> ApiException.notFound("task", "id")));
	}

	@BatchMapping
	Mono<Map<Task, Board>> board(List<Task> tasks, Principal principal) {
		return this.boards.boards(tasks.stream().map(Task::boardId).distinct().toList(), Viewer.of(principal).id())
			.map((byId) -> BatchResults.byKey(tasks, Task::boardId, byId, null));
	}

	@SchemaMapping
	CompletableFuture<Column> column(Task task, DataLoader<UUID, Column> columns) {
		return columns.load(task.columnId());
	}

	/**
	 * A batch mapping like {@code labels}: one call per batch of tasks, where a
	 * {@code DataLoader} call per task cost each task a handler invocation with its
	 * argument resolution. A task of a column's page whose selection shows the assignee
	 * does not come here (see {@link TaskCardFields}).
	 */
	@BatchMapping
	Mono<Map<Task, User>> assignee(List<Task> tasks) {
		return TaskCardFields.assignees(tasks, this.users).map((byId) -> {
			Map<Task, User> result = new LinkedHashMap<>();
			for (Task task : tasks) {
				result.put(task, (task.assigneeId() != null) ? byId.get(task.assigneeId()) : null);
			}
			return result;
		});
	}

	@SchemaMapping
	CompletableFuture<User> createdBy(Task task, DataLoader<UUID, User> users) {
		return users.load(task.createdById());
	}

	/** Like {@code assignee}: a column's page usually brings them along. */
	@BatchMapping
	Mono<Map<Task, List<Label>>> labels(List<Task> tasks) {
		return TaskCardFields.labels(tasks, this.labels).map((byId) -> {
			TaskCardFields.LabelOrder order = new TaskCardFields.LabelOrder(byId);
			Map<Task, List<Label>> result = new LinkedHashMap<>();
			for (Task task : tasks) {
				result.put(task, order.of(task, false));
			}
			return result;
		});
	}

	@SchemaMapping
	CompletableFuture<Connection<Comment>> comments(Task task, @Argument Integer first, @Argument String after,
			DataLoader<PagedKey, Connection<Comment>> taskComments) {
		return taskComments.load(new PagedKey(task.id(), PageRequest.of(first, after, "comment")));
	}

	@BatchMapping
	Mono<Map<Task, Integer>> commentCount(List<Task> tasks) {
		return this.comments.countsByTasks(tasks.stream().map(Task::id).toList())
			.map((counts) -> BatchResults.byKey(tasks, Task::id, counts, 0));
	}

	record CreateTaskInput(String columnId, String title, String description, String assigneeId, LocalDate dueDate,
			TaskPriority priority, List<String> labelIds, String afterId, String beforeId, String clientMutationId) {
	}

	record CreateTaskPayload(Task task, String clientMutationId) {
	}

	record TaskPayload(Task task) {
	}

	@MutationMapping
	Mono<CreateTaskPayload> createTask(@Argument CreateTaskInput input, Viewer viewer) {
		return Mono
			.defer(() -> this.tasks.create(viewer.id(),
					new TaskService.NewTask(input.columnId(), input.title(), input.description(), input.assigneeId(),
							input.dueDate(), input.priority(), input.labelIds(), input.afterId(), input.beforeId(),
							input.clientMutationId())))
			.map((task) -> new CreateTaskPayload(task, input.clientMutationId()));
	}

	record UpdateTaskInput(String taskId, Integer expectedVersion, String title, String description,
			ArgumentValue<String> assigneeId, ArgumentValue<LocalDate> dueDate, TaskPriority priority,
			List<String> labelIds) {
	}

	@MutationMapping
	Mono<DataFetcherResult<TaskPayload>> updateTask(@Argument UpdateTaskInput input, Viewer viewer,
			DataFetchingEnvironment env) {
		return Conflicts.withCurrent(Mono.defer(() -> this.tasks.update(viewer.id(),
				new TaskService.TaskChanges(input.taskId(), input.expectedVersion(), input.title(), input.description(),
						input.assigneeId(), input.dueDate(), input.priority(), input.labelIds())))
			.map(TaskPayload::new), TaskPayload::new, env);
	}

	record MoveTaskInput(String taskId, String columnId, String afterId, String beforeId, Integer expectedVersion) {
	}

	@MutationMapping
	Mono<DataFetcherResult<TaskPayload>> moveTask(@Argument MoveTaskInput input, Viewer viewer,
			DataFetchingEnvironment env) {
		return Conflicts.withCurrent(Mono
			.defer(() -> this.tasks.move(viewer.id(), input.taskId(), input.columnId(), input.afterId(),
					input.beforeId(), input.expectedVersion()))
			.map(TaskPayload::new), TaskPayload::new, env);
	}

	record DeleteTaskInput(String taskId) {
	}

	record DeleteTaskPayload(UUID deletedTaskId) {
	}

	@MutationMapping
	Mono<DeleteTaskPayload> deleteTask(@Argument DeleteTaskInput input, Viewer viewer) {
		return Mono.defer(() -> this.tasks.delete(viewer.id(), input.taskId())).map(DeleteTaskPayload::new);
	}

}
