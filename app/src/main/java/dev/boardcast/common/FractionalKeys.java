package dev.boardcast.common;

/**
 * Order keys for columns and tasks: strings over base-62 digits compared byte-wise
 * (PostgreSQL {@code COLLATE "C"}). A key can always be made between any two keys, so a
 * move rewrites only the moved row. Keys never end in the smallest digit, which keeps a
 * key below every key always available. Appending counts up (about one character per 31
 * appends); repeated inserts into one interior gap halve it (about one character per six
 * inserts), so even thousands of moves into one gap stay short.
 */
public final class FractionalKeys {

	static final String DIGITS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

	private static final int BASE = DIGITS.length();

	private FractionalKeys() {
	}

	/**
	 * A key strictly between {@code before} and {@code after}; either may be null for "no
	 * neighbour on that side".
	 */
	public static String between(String before, String after) {
		String a = (before != null) ? before : "";
		if (after != null && a.compareTo(after) >= 0) {
			throw new IllegalArgumentException("keys out of order: " + before + " >= " + after);
		}
		if (after == null && !a.isEmpty()) {
			// Appending is the common case: count up instead of halving the rest of the
			// space,
			// so a thousand appends add about 33 characters, not 170.
			return increment(a);
		}
		return midpoint(a, after);
	}

	private static String increment(String key) {
		int last = digit(key.charAt(key.length() - 1));
		if (last < BASE - 1) {
			return key.substring(0, key.length() - 1) + DIGITS.charAt(last + 1);
		}
		return key + DIGITS.charAt(BASE / 2);
	}

	private static String midpoint(String a, String b) {
		if (b != null) {
			// Skip the common prefix (a padded with the smallest digit).
			int n = 0;
			while (n < b.length() && ((n < a.length()) ? a.charAt(n) : DIGITS.charAt(0)) == b.charAt(n)) {
				n++;
			}
			if (n > 0) {
				return b.substring(0, n) + midpoint((n < a.length()) ? a.substring(n) : "", b.substring(n));
			}
		}
		int digitA = a.isEmpty() ? 0 : digit(a.charAt(0));
		int digitB = (b != null) ? digit(b.charAt(0)) : BASE;
		if (digitB - digitA > 1) {
			return String.valueOf(DIGITS.charAt(Math.round(0.5f * (digitA + digitB))));
		}
		if (b != null && b.length() > 1) {
			return b.substring(0, 1);
		}
		return DIGITS.charAt(digitA) + midpoint(a.isEmpty() ? "" : a.substring(1), null);
	}

	private static int digit(char c) {
		int index = DIGITS.indexOf(c);
		if (index < 0) {
			throw new IllegalArgumentException("not an order key digit: " + c);
		}
		return index;
	}

}
