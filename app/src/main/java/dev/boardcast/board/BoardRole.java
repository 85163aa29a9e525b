package dev.boardcast.board;

/** What a member may do on a board; each role includes the ones below it. */
public enum BoardRole {

	OWNER(3), EDITOR(2), VIEWER(1);

	private final int rank;

	BoardRole(int rank) {
		this.rank = rank;
	}

	public boolean includes(BoardRole other) {
		return this.rank >= other.rank;
	}

	/** This role and every role above it, as stored in the database. */
	String[] andAbove() {
		return java.util.Arrays.stream(values()).filter((r) -> r.includes(this)).map(Enum::name).toArray(String[]::new);
	}

}
