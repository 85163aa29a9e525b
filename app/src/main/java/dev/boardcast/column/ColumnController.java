package dev.boardcast.column;

import java.security.Principal;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.boardcast.board.Board;
import dev.boardcast.board.BoardService;
import dev.boardcast.common.BatchResults;
import dev.boardcast.common.Conflicts;
import dev.boardcast.common.Connection;
import dev.boardcast.common.PageRequest;
import dev.boardcast.common.PagedKey;
import dev.boardcast.security.Viewer;
import dev.boardcast.task.Task;
import dev.boardcast.task.TaskCardFields;
import dev.boardcast.task.TaskService;
import graphql.execution.DataFetcherResult;
import graphql.schema.DataFetchingEnvironment;
import graphql.schema.DataFetchingFieldSelectionSet;
import org.dataloader.DataLoader;
import reactor.core.publisher.Mono;

import java.util.concurrent.CompletableFuture;

import org.springframework.graphql.data.ArgumentValue;
import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.BatchMapping;
import org.springframework.graphql.data.method.annotation.MutationMapping;
import org.springframework.graphql.data.method.annotation.SchemaMapping;
import org.springframework.graphql.execution.BatchLoaderRegistry;
import org.springframework.stereotype.Controller;

/** The Column type and the column mutations. */
@Controller
class ColumnController {

	private final ColumnService columns;

	private final TaskService tasks;

	private final BoardService boards;

	ColumnController(ColumnService columns, TaskService tasks, BoardService boards, BatchLoaderRegistry registry) {
		this.columns = columns;
		this.tasks = tasks;
		this.boards = boards;
		registry.forTypePair(UUID.class, Column.class).registerMappedBatchLoader((ids, env) -> columns.byIds(ids));
	}

	@BatchMapping
	Mono<Map<Column, Board>> board(List<Column> columns, Principal principal) {
		return this.boards.boards(columns.stream().map(Column::boardId).distinct().toList(), Viewer.of(principal).id())
			.map((byId) -> BatchResults.byKey(columns, Column::boardId, byId, null));
	}

	@SchemaMapping
	CompletableFuture<DataFetcherResult<Connection<Task>>> tasks(Column column, @Argument Integer first,
			@Argument String after, DataLoader<PagedKey, TaskCardFields.Page> columnTasks,
			DataFetchingFieldSelectionSet selection) {
		return columnTasks
			.load(new PagedKey(column.id(), PageRequest.of(first, after, "task")), TaskCardFields.Wanted.of(selection))
			.thenApply(TaskCardFields.Page::result);
	}

	@BatchMapping
	Mono<Map<Column, Integer>> taskCount(List<Column> columns) {
		return this.tasks.countsByColumns(columns.stream().map(Column::id).toList())
			.map((counts) -> BatchResults.byKey(columns, Column::id, counts, 0));
	}

	record CreateColumnInput(String boardId, String name, String afterId, Boolean isDone, Integer wipLimit,
			String clientMutationId) {
	}

	record CreateColumnPayload(Column column, String clientMutationId) {
	}

	record ColumnPayload(Column column) {
	}

	@MutationMapping
	Mono<CreateColumnPayload> createColumn(@Argument CreateColumnInput input, Viewer viewer) {
		return Mono
			.defer(() -> this.columns.create(viewer.id(), input.boardId(), input.name(), input.afterId(),
					input.isDone(), input.wipLimit(), input.clientMutationId()))
			.map((column) -> new CreateColumnPayload(column, input.clientMutationId()));
	}

	record UpdateColumnInput(String columnId, Integer expectedVersion, String name, Boolean isDone,
			ArgumentValue<Integer> wipLimit) {
	}

	@MutationMapping
	Mono<DataFetcherResult<ColumnPayload>> updateColumn(@Argument UpdateColumnInput input, Viewer viewer,
			DataFetchingEnvironment env) {
		return Conflicts.withCurrent(
				Mono.defer(() -> this.columns.update(viewer.id(), input.columnId(), input.expectedVersion(),
						input.name(), input.isDone(), input.wipLimit()))
					.map(ColumnPayload::new),
				ColumnPayload::new, env);
	}

	record MoveColumnInput(String columnId, String afterId, String beforeId, Integer expectedVersion) {
	}

	@MutationMapping
	Mono<DataFetcherResult<ColumnPayload>> moveColumn(@Argument MoveColumnInput input, Viewer viewer,
			DataFetchingEnvironment env) {
		return Conflicts.withCurrent(Mono.defer(() -> this.columns.move(viewer.id(), input.columnId(), input.afterId(),
				input.beforeId(), input.expectedVersion()))
			.map(ColumnPayload::new), ColumnPayload::new, env);
	}

	record DeleteColumnInput(String columnId, String moveTasksTo) {
	}

	record DeleteColumnPayload(UUID deletedColumnId, long movedTaskCount) {
	}

	@MutationMapping
	Mono<DeleteColumnPayload> deleteColumn(@Argument DeleteColumnInput input, Viewer viewer) {
		return Mono.defer(() -> this.columns.delete(viewer.id(), input.columnId(), input.moveTasksTo()))
			.map((deleted) -> new DeleteColumnPayload(deleted.columnId(), deleted.movedTaskCount()));
	}

}
