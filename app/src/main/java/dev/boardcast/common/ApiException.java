package dev.boardcast.common;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An expected failure that a client can act on; mapped to a GraphQL error with
 * {@code extensions.code} (and {@code extensions.field} when one input field is to
 * blame).
 */
public class ApiException extends RuntimeException {

	private final ErrorCode code;

	private final String field;

	private final transient Object current;

	protected ApiException(ErrorCode code, String message, String field, Object current) {
		super(message, null, false, false);
		this.code = code;
		this.field = field;
		this.current = current;
	}

	public static ApiException notFound(String what, String field) {
		return new ApiException(ErrorCode.NOT_FOUND, what + " not found", field, null);
	}

	public static ApiException badInput(String field, String message) {
		return new ApiException(ErrorCode.BAD_USER_INPUT, field + ": " + message, field, null);
	}

	public static ApiException forbidden(String message) {
		return new ApiException(ErrorCode.FORBIDDEN, message, null, null);
	}

	/** A stale {@code expectedVersion}; {@code current} is the entity as it is now. */
	public static ApiException conflict(String message, Object current) {
		return new ApiException(ErrorCode.CONFLICT, message, "expectedVersion", current);
	}

	public static ApiException cursorExpired(String message) {
		return new ApiException(ErrorCode.CURSOR_EXPIRED, message, "after", null);
	}

	public ErrorCode code() {
		return this.code;
	}

	public String field() {
		return this.field;
	}

	/** The current state of the entity, for CONFLICT. */
	public Object current() {
		return this.current;
	}

	public Map<String, Object> extensions() {
		Map<String, Object> extensions = new LinkedHashMap<>();
		extensions.put("code", this.code.name());
		if (this.field != null) {
			extensions.put("field", this.field);
		}
		return extensions;
	}

}
