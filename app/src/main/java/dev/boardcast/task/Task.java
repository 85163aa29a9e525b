package dev.boardcast.task;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/**
 * A card on a board.
 *
 * @param number the human-readable number, unique on its board
 * @param position the order key within its column
 * @param labelIds labels of the same board
 * @param completedAt when it was moved into a done column; null while it is not in one
 */
public record Task(UUID id, UUID boardId, UUID columnId, int number, String position, String title, String description,
		UUID assigneeId, List<UUID> labelIds, LocalDate dueDate, TaskPriority priority, UUID createdById,
		OffsetDateTime createdAt, OffsetDateTime updatedAt, OffsetDateTime completedAt, int version) {
}
