package dev.boardcast.board;

import java.util.UUID;

import dev.boardcast.events.EventKind;

/**
 * What one write did: the event to log (kind, entity, new state) and the result for the
 * caller.
 *
 * @param taskId the task a TASK_* or COMMENT_* event concerns
 * @param state the entity's new state (null when deleted)
 * @param <T> the result type
 */
public record Change<T>(EventKind kind, UUID entityId, UUID taskId, Object state, T result) {

	public static <T> Change<T> of(EventKind kind, UUID entityId, Object state, T result) {
		return new Change<>(kind, entityId, null, state, result);
	}

	public static <T> Change<T> ofTask(EventKind kind, UUID entityId, UUID taskId, Object state, T result) {
		return new Change<>(kind, entityId, taskId, state, result);
	}

}
