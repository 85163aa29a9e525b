package dev.boardcast.common;

/**
 * Checks of client-supplied text. PostgreSQL cannot store NUL, and a lone surrogate
 * cannot be encoded as UTF-8, so both are refused here with the field named instead of
 * failing in the database.
 */
public final class Inputs {

	private Inputs() {
	}

	/** A required text, trimmed, of 1 to {@code max} characters. */
	public static String required(String field, String value, int max) {
		if (value == null) {
			throw ApiException.badInput(field, "is required");
		}
		String trimmed = value.strip();
		if (trimmed.isEmpty()) {
			throw ApiException.badInput(field, "must not be blank");
		}
		return checked(field, trimmed, max);
	}

	/** An optional text of at most {@code max} characters; null stays null. */
	public static String optional(String field, String value, int max) {
		return (value != null) ? checked(field, value, max) : null;
	}

	private static String checked(String field, String value, int max) {
		if (value.codePointCount(0, value.length()) > max) {
			throw ApiException.badInput(field, "must be at most " + max + " characters");
		}
		for (int i = 0; i < value.length(); i++) {
			char c = value.charAt(i);
			if (c == '\0') {
				throw ApiException.badInput(field, "must not contain NUL characters");
			}
			if (Character.isHighSurrogate(c)) {
				if (i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
					i++;
					continue;
				}
				throw ApiException.badInput(field, "must be valid Unicode (lone surrogate)");
			}
			if (Character.isLowSurrogate(c)) {
				throw ApiException.badInput(field, "must be valid Unicode (lone surrogate)");
			}
		}
		return value;
	}

	/**
	 * True when {@code value} would pass {@link #optional} (for claims, which are not
	 * inputs).
	 */
	public static boolean isClean(String value, int max) {
		try {
			checked("value", value, max);
			return true;
		}
		catch (ApiException ex) {
			return false;
		}
	}

	public static int range(String field, int value, int min, int max) {
		if (value < min || value > max) {
			throw ApiException.badInput(field, "must be between " + min + " and " + max);
		}
		return value;
	}

}
