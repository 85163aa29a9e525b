package dev.boardcast.user;

import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * A person, identified by the token's issuer and subject.
 *
 * @param displayName the display name, or the handle when none is set
 */
public record User(UUID id, String subject, String handle, String displayName, OffsetDateTime createdAt) {
}
