package dev.boardcast.common;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A validated {@code first}/{@code after} pair. Page sizes above the maximum are refused,
 * not clamped, so a client never mistakes a short page for the end of the list.
 *
 * @param size rows to return
 * @param after the decoded cursor (the value after the kind prefix), or null
 */
public record PageRequest(int size, String after) {

	public static final int DEFAULT_SIZE = 50;

	public static final int MAX_SIZE = 100;

	/**
	 * Validates {@code first} and decodes {@code after}, which must be a cursor of
	 * {@code kind}.
	 */
	public static PageRequest of(Integer first, String after, String kind) {
		int size = (first != null) ? first : DEFAULT_SIZE;
		if (size < 1 || size > MAX_SIZE) {
			throw ApiException.badInput("first", "must be between 1 and " + MAX_SIZE);
		}
		return new PageRequest(size, (after != null) ? decode(kind, after) : null);
	}

	/** An opaque cursor: the kind and a value, base64url-encoded. */
	public static String cursor(String kind, Object value) {
		return Base64.getUrlEncoder()
			.withoutPadding()
			.encodeToString((kind + ":" + value).getBytes(StandardCharsets.UTF_8));
	}

	public static String decode(String kind, String cursor) {
		try {
			String decoded = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
			if (decoded.startsWith(kind + ":")) {
				return decoded.substring(kind.length() + 1);
			}
		}
		catch (IllegalArgumentException ex) {
			// not base64: reported below
		}
		throw ApiException.badInput("after", "is not a valid cursor for this list");
	}

	/** A cursor of a list ordered by time, then id. */
	public record Keyset(java.time.OffsetDateTime at, java.util.UUID id) {

		public String cursor(String kind) {
			return PageRequest.cursor(kind, this.at + "|" + this.id);
		}

	}

	/** The {@code after} cursor of a list ordered by time, then id. */
	public Keyset keyset() {
		try {
			String[] parts = this.after.split("\\|", 2);
			return new Keyset(java.time.OffsetDateTime.parse(parts[0]), java.util.UUID.fromString(parts[1]));
		}
		catch (RuntimeException ex) {
			throw ApiException.badInput("after", "is not a valid cursor for this list");
		}
	}

	/** Rows to fetch: one more than the page, to know whether more follow. */
	public int limit() {
		return this.size + 1;
	}

}
