package dev.boardcast.board;

import java.util.UUID;

/**
 * What a write knows once it holds the board's lock.
 *
 * @param seq the board's next event seq, taken by this write
 * @param actorRole the writer's role on the board
 */
public record WriteContext(UUID boardId, UUID actorId, long seq, BoardRole actorRole) {
}
