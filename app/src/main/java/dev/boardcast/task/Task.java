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

	/**
	 * The id's hash: tasks are the keys of their fields' batch loaders, hashed several
	 * times per task of a board read, and the record's own hash reads every component, a
	 * description of up to 20,000 characters among them. Equal tasks have equal ids, so
	 * this agrees with the record's {@code equals}.
	 */
	@Override
	public int hashCode() {
		return this.id.hashCode();
	}

}
