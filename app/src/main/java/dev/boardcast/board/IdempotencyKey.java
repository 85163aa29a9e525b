package dev.boardcast.board;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collection;
import java.util.HexFormat;
import java.util.UUID;

import dev.boardcast.common.ApiException;
import dev.boardcast.common.Inputs;

/**
 * The idempotency key of a create (Relay's {@code clientMutationId}): per user, with the
 * mutation and a hash of its input, so that the same key with another input is told apart
 * from a retry.
 *
 * @param inputHash SHA-256 (hex) of the mutation name and its canonical input
 */
public record IdempotencyKey(UUID userId, String clientMutationId, String mutation, String inputHash) {

	static final String FIELD = "input.clientMutationId";

	/**
	 * The key of a create, or null when the client sent no {@code clientMutationId}.
	 * @param input the input's fields, in a fixed order, without the key itself
	 */
	public static IdempotencyKey of(UUID userId, String clientMutationId, String mutation, Object... input) {
		if (clientMutationId == null) {
			return null;
		}
		Inputs.optional(FIELD, clientMutationId, 100);
		if (clientMutationId.isEmpty()) {
			throw ApiException.badInput(FIELD, "must be 1 to 100 characters");
		}
		StringBuilder canonical = new StringBuilder(mutation);
		for (Object value : input) {
			append(canonical, value);
		}
		return new IdempotencyKey(userId, clientMutationId, mutation, sha256(canonical.toString()));
	}

	/** Length-prefixed, so that no two different inputs read the same. */
	private static void append(StringBuilder canonical, Object value) {
		if (value == null) {
			canonical.append('~');
		}
		else if (value instanceof Collection<?> values) {
			canonical.append('[').append(values.size());
			values.forEach((element) -> append(canonical, element));
		}
		else {
			String text = (value instanceof Enum<?> constant) ? constant.name() : value.toString();
			canonical.append('"').append(text.length()).append(':').append(text);
		}
	}

	private static String sha256(String text) {
		try {
			return HexFormat.of()
				.formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("Every JVM has SHA-256", ex);
		}
	}

}
