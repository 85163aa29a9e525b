package dev.boardcast.events;

/** What a board event says happened; the prefix names the kind of entity that changed. */
public enum EventKind {

	BOARD_CREATED, BOARD_UPDATED, BOARD_DELETED, MEMBER_ADDED, MEMBER_UPDATED, MEMBER_REMOVED, COLUMN_CREATED,
	COLUMN_UPDATED, COLUMN_MOVED, COLUMN_DELETED, LABEL_CREATED, LABEL_UPDATED, LABEL_DELETED, TASK_CREATED,
	TASK_UPDATED, TASK_MOVED, TASK_DELETED, COMMENT_ADDED, COMMENT_EDITED, COMMENT_DELETED;

	/** Task events: what {@code taskChanged} delivers. */
	public boolean isTaskEvent() {
		return name().startsWith("TASK_") || name().startsWith("COMMENT_");
	}

	public boolean isDeletion() {
		return name().endsWith("_DELETED") || this == MEMBER_REMOVED;
	}

}
