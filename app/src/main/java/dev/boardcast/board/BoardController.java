package dev.boardcast.board;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import dev.boardcast.column.Column;
import dev.boardcast.column.ColumnService;
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
import dev.boardcast.task.Task;
import dev.boardcast.task.TaskFilterInput;
import dev.boardcast.task.TaskService;
import dev.boardcast.user.User;
import graphql.execution.DataFetcherResult;
import graphql.schema.DataFetchingEnvironment;
import org.dataloader.DataLoader;
import reactor.core.publisher.Mono;

import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.BatchMapping;
import org.springframework.graphql.data.method.annotation.MutationMapping;
import org.springframework.graphql.data.method.annotation.QueryMapping;
import org.springframework.graphql.data.method.annotation.SchemaMapping;
import org.springframework.graphql.execution.BatchLoaderRegistry;
import org.springframework.stereotype.Controller;

/** The Board type, the board queries and the board and member mutations. */
@Controller
class BoardController {

	private final BoardService boards;

	private final ColumnService columns;

	private final LabelService labels;

	private final TaskService tasks;

	BoardController(BoardService boards, ColumnService columns, LabelService labels, TaskService tasks,
			BatchLoaderRegistry registry) {
		this.boards = boards;
		this.columns = columns;
		this.labels = labels;
		this.tasks = tasks;
		registry.<PagedKey, Connection<BoardMember>>forName("boardMembers")
			.registerMappedBatchLoader((keys, env) -> boards.members(keys));
	}

	@QueryMapping
	Mono<Connection<Board>> boards(@Argument Integer first, @Argument String after, Viewer viewer) {
		return Mono.defer(() -> this.boards.boardsOf(viewer.id(), first, after));
	}

	@QueryMapping
	Mono<Board> board(@Argument String id, Viewer viewer) {
		return Mono.defer(() -> this.boards.board(Ids.parse("id", "board", id), viewer.id()))
			.switchIfEmpty(Mono.error(() -> ApiException.notFound("board", "id")));
	}

	@BatchMapping
	Mono<Map<Board, List<Column>>> columns(List<Board> boards) {
		return this.columns.byBoards(boards.stream().map(Board::id).toList())
			.map((byBoard) -> BatchResults.byKey(boards, Board::id, byBoard, List.of()));
	}

	@BatchMapping
	Mono<Map<Board, List<Label>>> labels(List<Board> boards) {
		return this.labels.byBoards(boards.stream().map(Board::id).toList())
			.map((byBoard) -> BatchResults.byKey(boards, Board::id, byBoard, List.of()));
	}

	@SchemaMapping
	CompletableFuture<Connection<BoardMember>> members(Board board, @Argument Integer first, @Argument String after,
			DataLoader<PagedKey, Connection<BoardMember>> boardMembers) {
		return boardMembers.load(new PagedKey(board.id(), PageRequest.of(first, after, "member")));
	}

	@SchemaMapping
	Mono<Connection<Task>> tasks(Board board, @Argument TaskFilterInput filter, @Argument Integer first,
			@Argument String after) {
		return Mono.defer(() -> this.tasks.search(board.id(), filter, first, after));
	}

	@SchemaMapping
	CompletableFuture<User> createdBy(Board board, DataLoader<UUID, User> users) {
		return users.load(board.createdById());
	}

	record CreateBoardInput(String name, String description, String clientMutationId) {
	}

	record CreateBoardPayload(Board board, String clientMutationId) {
	}

	@MutationMapping
	Mono<CreateBoardPayload> createBoard(@Argument CreateBoardInput input, Viewer viewer) {
		return Mono
			.defer(() -> this.boards.create(viewer.id(), input.name(), input.description(), input.clientMutationId()))
			.map((board) -> new CreateBoardPayload(board, input.clientMutationId()));
	}

	record UpdateBoardInput(String boardId, Integer expectedVersion, String name, String description) {
	}

	record UpdateBoardPayload(Board board) {
	}

	@MutationMapping
	Mono<DataFetcherResult<UpdateBoardPayload>> updateBoard(@Argument UpdateBoardInput input, Viewer viewer,
			DataFetchingEnvironment env) {
		return Conflicts
			.withCurrent(
					Mono.defer(() -> this.boards.update(viewer.id(), input.boardId(), input.expectedVersion(),
							input.name(), input.description()))
						.map(UpdateBoardPayload::new),
					UpdateBoardPayload::new, env);
	}

	record DeleteBoardInput(String boardId) {
	}

	record DeleteBoardPayload(UUID deletedBoardId) {
	}

	@MutationMapping
	Mono<DeleteBoardPayload> deleteBoard(@Argument DeleteBoardInput input, Viewer viewer) {
		return Mono.defer(() -> this.boards.delete(viewer.id(), input.boardId())).map(DeleteBoardPayload::new);
	}

	record AddBoardMemberInput(String boardId, String handle, BoardRole role, String clientMutationId) {
	}

	record AddBoardMemberPayload(BoardMember member, String clientMutationId) {
	}

	record MemberPayload(BoardMember member) {
	}

	@MutationMapping
	Mono<AddBoardMemberPayload> addBoardMember(@Argument AddBoardMemberInput input, Viewer viewer) {
		return Mono
			.defer(() -> this.boards.addMember(viewer.id(), input.boardId(), input.handle(), input.role(),
					input.clientMutationId()))
			.map((member) -> new AddBoardMemberPayload(member, input.clientMutationId()));
	}

	record UpdateBoardMemberInput(String boardId, String userId, BoardRole role) {
	}

	@MutationMapping
	Mono<MemberPayload> updateBoardMember(@Argument UpdateBoardMemberInput input, Viewer viewer) {
		return Mono.defer(() -> this.boards.updateMember(viewer.id(), input.boardId(), input.userId(), input.role()))
			.map(MemberPayload::new);
	}

	record RemoveBoardMemberInput(String boardId, String userId) {
	}

	record RemoveBoardMemberPayload(UUID removedUserId) {
	}

	@MutationMapping
	Mono<RemoveBoardMemberPayload> removeBoardMember(@Argument RemoveBoardMemberInput input, Viewer viewer) {
		return Mono.defer(() -> this.boards.removeMember(viewer.id(), input.boardId(), input.userId()))
			.map(RemoveBoardMemberPayload::new);
	}

}
