package dev.boardcast.board;

import java.util.UUID;

/**
 * The board of a row of another feature's table, for
 * {@link BoardWrites#write(BoardOf, UUID, BoardRole, java.util.function.Supplier, java.util.function.Function)}:
 * the statement that takes the board's lock reads the row's {@code board_id} itself.
 */
public final class BoardOf {

	private final String table;

	private final UUID rowId;

	private BoardOf(String table, UUID rowId) {
		this.table = table;
		this.rowId = rowId;
	}

	/** The board of a task. */
	public static BoardOf task(UUID taskId) {
		return new BoardOf("tasks", taskId);
	}

	UUID rowId() {
		return this.rowId;
	}

	/**
	 * A scalar subquery giving the board's id, with the row's id bound as {@code :of}.
	 */
	String boardIdQuery() {
		return "(SELECT board_id FROM " + this.table + " WHERE id = :of)";
	}

}
