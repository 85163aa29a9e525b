package dev.boardcast.common;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.web.server.ResponseStatusException;

/**
 * A request refused by the HTTP layer, before any GraphQL runs: its status, and the
 * GraphQL-style error the client gets ({@link HttpErrorHandler}).
 */
public class RefusedRequest extends ResponseStatusException {

	private final Map<String, Object> extensions = new LinkedHashMap<>();

	private final HttpHeaders headers = new HttpHeaders();

	public RefusedRequest(HttpStatusCode status, ErrorCode code, String message) {
		super(status, message);
		this.extensions.put("code", code.name());
	}

	/** Adds an entry to {@code extensions}. */
	public RefusedRequest extension(String key, Object value) {
		this.extensions.put(key, value);
		return this;
	}

	/** Adds a response header (e.g. {@code Allow}). */
	public RefusedRequest header(String name, String value) {
		this.headers.add(name, value);
		return this;
	}

	/**
	 * No stack trace: a refusal is an answer, not a failure, and under overload a replica
	 * refuses hundreds a second.
	 */
	@Override
	public synchronized Throwable fillInStackTrace() {
		return this;
	}

	public Map<String, Object> extensions() {
		return this.extensions;
	}

	@Override
	public HttpHeaders getHeaders() {
		return this.headers;
	}

}
