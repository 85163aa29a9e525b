package dev.boardcast.board;

import java.time.OffsetDateTime;
import java.util.UUID;

/** A user's membership of a board. */
public record BoardMember(UUID boardId, UUID userId, BoardRole role, OffsetDateTime addedAt) {
}
