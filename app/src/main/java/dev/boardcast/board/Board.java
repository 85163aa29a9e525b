package dev.boardcast.board;

import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * A board as seen by one member.
 *
 * @param lastSeq the seq of the board's latest event
 * @param myRole the role of the member who reads it
 */
public record Board(UUID id, String name, String description, UUID createdById, OffsetDateTime createdAt,
		OffsetDateTime updatedAt, int version, long lastSeq, BoardRole myRole) {
}
