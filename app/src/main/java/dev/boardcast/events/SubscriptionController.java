package dev.boardcast.events;

import java.util.UUID;
import java.util.concurrent.Executor;

import dev.boardcast.board.BoardService;
import dev.boardcast.common.ApiException;
import dev.boardcast.common.Ids;
import dev.boardcast.common.PageRequest;
import dev.boardcast.security.Viewer;
import dev.boardcast.task.TaskService;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.ContextValue;
import org.springframework.graphql.data.method.annotation.SubscriptionMapping;
import org.springframework.stereotype.Controller;

/**
 * {@code boardChanged} and {@code taskChanged}. Membership is checked at subscribe time;
 * a subscriber who is removed from the board (or whose board is deleted) gets that event,
 * then the subscription ends with FORBIDDEN (or NOT_FOUND), on whichever replica it is.
 * The viewer parameters have no {@code @AuthenticationPrincipal}: they come from
 * {@code security.ViewerArgumentResolver}, whose Mono (kept as long as the subscription)
 * holds no ready-made exception. Over graphql-ws, events are handed over on the event
 * loop of the subscriber's socket ({@link BoardFeeds#SOCKET_EVENT_LOOP}).
 */
@Controller
class SubscriptionController {

	private final BoardService boards;

	private final BoardFeeds feeds;

	private final EventLog log;

	private final TaskService tasks;

	SubscriptionController(BoardService boards, BoardFeeds feeds, EventLog log, TaskService tasks) {
		this.boards = boards;
		this.feeds = feeds;
		this.log = log;
		this.tasks = tasks;
	}

	@SubscriptionMapping
	Flux<BoardEvent> boardChanged(@Argument String boardId, @Argument String after, Viewer viewer,
			@ContextValue(name = BoardFeeds.SOCKET_EVENT_LOOP, required = false) Executor loop) {
		return Flux.defer(() -> events(Ids.parse("boardId", "board", boardId), after, viewer.id(), Mono.empty(), loop));
	}

	/**
	 * A {@code taskId} must name a task of that board: one of another board (or none) is
	 * NOT_FOUND at subscribe time, not a subscription that silently never delivers.
	 */
	@SubscriptionMapping
	Flux<BoardEvent> taskChanged(@Argument String boardId, @Argument String taskId, @Argument String after,
			Viewer viewer, @ContextValue(name = BoardFeeds.SOCKET_EVENT_LOOP, required = false) Executor loop) {
		return Flux.defer(() -> {
			UUID board = Ids.parse("boardId", "board", boardId);
			UUID task = Ids.parseOptional("taskId", "task", taskId);
			Mono<Void> taskOfTheBoard = (task == null) ? Mono.empty()
					: this.tasks.task(task)
						.filter((found) -> found.boardId().equals(board))
						.switchIfEmpty(Mono.error(() -> ApiException.notFound("task", "taskId")))
						.then();
			return events(board, after, viewer.id(), taskOfTheBoard, loop)
				.filter((event) -> event.kind().isTaskEvent() && (task == null || task.equals(event.taskId())));
		});
	}

	/**
	 * The board's events for a member; {@code check} runs once membership is known, so a
	 * non-member learns nothing about the board's content from it.
	 */
	private Flux<BoardEvent> events(UUID boardId, String after, UUID viewerId, Mono<Void> check, Executor loop) {
		Long afterSeq = (after != null)
				? BoardEventController.afterSeq(PageRequest.decode(BoardEvent.CURSOR_KIND, after)) : null;
		return this.boards.board(boardId, viewerId)
			.switchIfEmpty(Mono.error(() -> ApiException.notFound("board", "boardId")))
			.flatMap((board) -> check.then(start(boardId, afterSeq, board.lastSeq())))
			// The subscription outlives these checks: once the start is known, let go of
			// their statements (parsed SQL, row metadata), which flatMapMany would keep
			// referenced for as long as the subscription lives.
			.onTerminateDetach()
			.flatMapMany((start) -> this.feeds.events(boardId, start, loop))
			// A map, not a handle: Reactor restores the request's thread locals around
			// every
			// call of a handle (automatic context propagation), once per event per
			// subscriber, and this needs none of them.
			.map((event) -> {
				// The ending is the error itself: graphql-java may let an error overtake
				// an
				// event whose fields are still resolving, so no final event is sent with
				// it.
				if (event.kind() == EventKind.MEMBER_REMOVED && viewerId.equals(event.entityId())) {
					throw ApiException.forbidden("You are no longer a member of this board");
				}
				if (event.kind() == EventKind.BOARD_DELETED) {
					throw ApiException.notFound("board", "boardId");
				}
				return event;
			});
	}

	/**
	 * The seq to deliver after: the cursor's, checked against the log's retention, or
	 * now.
	 */
	private Mono<Long> start(UUID boardId, Long afterSeq, long lastSeq) {
		if (afterSeq == null) {
			return Mono.just(lastSeq);
		}
		if (afterSeq > lastSeq || afterSeq < 0) {
			return Mono.error(ApiException.badInput("after", "is not a cursor of this board"));
		}
		if (afterSeq.longValue() == lastSeq) {
			return Mono.just(afterSeq);
		}
		return this.log.oldestSeq(boardId)
			.defaultIfEmpty(Long.MAX_VALUE)
			.flatMap((oldest) -> (oldest > afterSeq + 1) ? Mono.error(ApiException.cursorExpired(
					"Events after this cursor are no longer kept; fetch the board again and subscribe without a cursor"))
					: Mono.just(afterSeq));
	}

}
