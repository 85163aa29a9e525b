package dev.boardcast.column;

import java.util.UUID;

/**
 * A column of a board.
 *
 * @param position the order key within the board
 * @param wipLimit the advisory maximum number of tasks, or null
 */
public record Column(UUID id, UUID boardId, String name, String position, boolean isDone, Integer wipLimit,
		int version) {
}
