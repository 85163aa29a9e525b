package dev.boardcast.task;

import java.time.LocalDate;
import java.util.List;

/** Which tasks of a board to list; every given condition must hold. */
public record TaskFilterInput(String columnId, String assigneeId, List<String> labelIds, LocalDate dueBefore,
		LocalDate dueAfter, String text) {
}
