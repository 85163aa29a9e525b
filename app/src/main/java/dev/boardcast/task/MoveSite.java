package dev.boardcast.task;

import java.util.UUID;

/**
 * What a move reads under the board's lock ({@link TaskRepository#moveSite}).
 *
 * @param task the task as it is now
 * @param columnId the target column, or null when it does not exist
 * @param columnBoardId the target column's board
 * @param columnDone whether the target column is a done column
 * @param afterColumnId the column of the named afterId task (null if none or not found)
 * @param afterKey its order key
 * @param beforeColumnId the column of the named beforeId task (null if none or not found)
 * @param beforeKey its order key
 * @param adjacentKey with one neighbour named, the next key on its other side in the
 * target column, without the task's own; with none, the column's last such key; null when
 * there is none
 */
record MoveSite(Task task, UUID columnId, UUID columnBoardId, boolean columnDone, UUID afterColumnId, String afterKey,
		UUID beforeColumnId, String beforeKey, String adjacentKey) {
}
