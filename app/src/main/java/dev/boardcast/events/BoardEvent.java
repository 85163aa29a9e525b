package dev.boardcast.events;

import java.time.OffsetDateTime;
import java.util.UUID;

import dev.boardcast.common.PageRequest;
import tools.jackson.databind.JsonNode;

/**
 * One committed change of a board, as stored in its log and carried by the event bus.
 *
 * @param seq the board's sequence number: 1, 2, 3, ... without gaps
 * @param entityId what changed (board, member's user, column, label, task or comment)
 * @param taskId the task a TASK_* or COMMENT_* event concerns
 * @param state the new state of what changed, as JSON; null when it was deleted
 */
public record BoardEvent(UUID boardId, long seq, EventKind kind, UUID entityId, UUID taskId, JsonNode state,
		UUID actorId, OffsetDateTime at) {

	public static final String CURSOR_KIND = "event";

	public String cursor() {
		return PageRequest.cursor(CURSOR_KIND, this.seq);
	}

}
