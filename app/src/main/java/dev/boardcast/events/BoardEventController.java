package dev.boardcast.events;

import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import dev.boardcast.board.Board;
import dev.boardcast.board.BoardService;
import dev.boardcast.common.ApiException;
import dev.boardcast.common.Connection;
import dev.boardcast.common.Ids;
import dev.boardcast.common.PageRequest;
import dev.boardcast.security.Viewer;
import dev.boardcast.user.User;
import org.dataloader.DataLoader;
import reactor.core.publisher.Mono;

import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.QueryMapping;
import org.springframework.graphql.data.method.annotation.SchemaMapping;
import org.springframework.stereotype.Controller;

/**
 * The BoardEvent type and {@code boardEvents}. An event's entity fields are its state as
 * committed (from the log, see {@link EventStateFields}), so nested fields of it resolve
 * through the same batch loaders as queries.
 */
@Controller
class BoardEventController {

	private final EventLog log;

	private final BoardService boards;

	BoardEventController(EventLog log, BoardService boards) {
		this.log = log;
		this.boards = boards;
	}

	@QueryMapping
	Mono<Connection<BoardEvent>> boardEvents(@Argument String boardId, @Argument String after, @Argument Integer first,
			Viewer viewer) {
		return Mono.defer(() -> {
			UUID board = Ids.parse("boardId", "board", boardId);
			PageRequest page = PageRequest.of(first, after, BoardEvent.CURSOR_KIND);
			long afterSeq = afterSeq(page.after());
			return this.boards.role(board, viewer.id())
				.switchIfEmpty(Mono.error(() -> ApiException.notFound("board", "boardId")))
				.flatMap((role) -> this.log.after(board, afterSeq, page.limit()).collectList())
				.map((rows) -> Connection.of(rows, page, BoardEvent::cursor));
		});
	}

	/**
	 * The seq an event cursor points at; 0 (before the first event) when there is none.
	 */
	static long afterSeq(String decoded) {
		if (decoded == null) {
			return 0;
		}
		try {
			return Long.parseLong(decoded);
		}
		catch (NumberFormatException ex) {
			throw ApiException.badInput("after", "is not a valid event cursor");
		}
	}

	@SchemaMapping(typeName = "TaskEvent", field = "actor")
	CompletableFuture<User> taskEventActor(BoardEvent event, DataLoader<UUID, User> users) {
		return actor(event, users);
	}

	@SchemaMapping(typeName = "BoardEvent")
	CompletableFuture<User> actor(BoardEvent event, DataLoader<UUID, User> users) {
		return (event.actorId() != null) ? users.load(event.actorId()) : CompletableFuture.completedFuture(null);
	}

	@SchemaMapping(typeName = "BoardEvent")
	Mono<Board> board(BoardEvent event, Viewer viewer) {
		// The board as it is now, with the subscriber's own role.
		return event.kind().name().startsWith("BOARD_") && !event.kind().isDeletion()
				? this.boards.board(event.boardId(), viewer.id()) : Mono.empty();
	}

}
