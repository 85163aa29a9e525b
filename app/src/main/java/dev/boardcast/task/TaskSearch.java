package dev.boardcast.task;

import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

/** A validated {@link TaskFilterInput}. */
record TaskSearch(UUID columnId, UUID assigneeId, List<UUID> labelIds, LocalDate dueBefore, LocalDate dueAfter,
		String text) {
}
