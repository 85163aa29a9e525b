package dev.boardcast.comment;

import java.time.OffsetDateTime;
import java.util.UUID;

/** A comment on a task. */
public record Comment(UUID id, UUID taskId, UUID boardId, UUID authorId, String body, OffsetDateTime createdAt,
		OffsetDateTime editedAt, int version) {
}
