package dev.boardcast.common;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.webflux.error.ErrorWebExceptionHandler;
import org.springframework.core.annotation.Order;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;

/**
 * Every failure outside GraphQL execution (body too large or unreadable, wrong content
 * type or method, a bug in a filter or interceptor) answers a GraphQL-style body,
 * {@code {"errors":[{"message":...,"extensions":{"code":...}}]}}, with its HTTP status.
 * Messages are written here, never taken from exceptions, so no class name, SQL or stack
 * trace reaches the client; anything unexpected is INTERNAL with an error id that is also
 * in the log. Runs before Spring Boot's handler (order -1).
 */
@Component
@Order(-2)
class HttpErrorHandler implements ErrorWebExceptionHandler {

	private static final Log logger = LogFactory.getLog(HttpErrorHandler.class);

	private static final JsonMapper json = JsonMapper.builder().build();

	private static final MediaType GRAPHQL_RESPONSE = MediaType.parseMediaType("application/graphql-response+json");

	@Override
	public Mono<Void> handle(ServerWebExchange exchange, Throwable ex) {
		ServerHttpResponse response = exchange.getResponse();
		if (response.isCommitted()) {
			return Mono.error(ex);
		}
		RefusedRequest refusal = refusal(exchange, ex);
		response.setStatusCode(refusal.getStatusCode());
		response.getHeaders().addAll(refusal.getHeaders());
		response.getHeaders().setContentType(contentType(exchange));
		Map<String, Object> error = new LinkedHashMap<>();
		error.put("message", refusal.getReason());
		error.put("extensions", refusal.extensions());
		byte[] body = json.writeValueAsBytes(Map.of("errors", List.of(error)));
		return response.writeWith(Mono.fromSupplier(() -> response.bufferFactory().wrap(body)));
	}

	private static RefusedRequest refusal(ServerWebExchange exchange, Throwable ex) {
		RefusedRequest refused = find(ex, RefusedRequest.class);
		if (refused != null) {
			return refused;
		}
		if (find(ex, DataBufferLimitException.class) != null) {
			return new RefusedRequest(HttpStatus.CONTENT_TOO_LARGE, ErrorCode.BAD_USER_INPUT,
					"The request body is too large");
		}
		if (find(ex, InvalidMediaTypeException.class) != null) {
			return new RefusedRequest(HttpStatus.BAD_REQUEST, ErrorCode.BAD_USER_INPUT,
					"A Content-Type or Accept header is not a valid media type");
		}
		if (ex instanceof ResponseStatusException status && status.getStatusCode().is4xxClientError()) {
			RefusedRequest known = new RefusedRequest(status.getStatusCode(), codeFor(status.getStatusCode()),
					messageFor(status.getStatusCode()));
			known.getHeaders().addAll(status.getHeaders());
			return known;
		}
		String errorId = UUID.randomUUID().toString();
		logger.error("Unexpected error " + errorId + " on " + exchange.getRequest().getMethod() + " "
				+ exchange.getRequest().getPath(), ex);
		return new RefusedRequest(HttpStatus.INTERNAL_SERVER_ERROR, ErrorCode.INTERNAL,
				"Internal error (id " + errorId + ")")
			.extension("errorId", errorId);
	}

	private static ErrorCode codeFor(HttpStatusCode status) {
		return switch (status.value()) {
			case 401 -> ErrorCode.UNAUTHENTICATED;
			case 403 -> ErrorCode.FORBIDDEN;
			case 404 -> ErrorCode.NOT_FOUND;
			case 429 -> ErrorCode.RATE_LIMITED;
			default -> ErrorCode.BAD_USER_INPUT;
		};
	}

	private static String messageFor(HttpStatusCode status) {
		return switch (status.value()) {
			case 400 -> "The request could not be read: send one JSON object";
			case 404 -> "Not found";
			case 405 -> "Method not allowed";
			case 406 -> "Not acceptable: this server answers JSON";
			case 413 -> "The request body is too large";
			case 415 -> "Unsupported content type: send application/json";
			default -> (HttpStatus.resolve(status.value()) != null)
					? HttpStatus.resolve(status.value()).getReasonPhrase() : "Request refused";
		};
	}

	private static MediaType contentType(ServerWebExchange exchange) {
		try {
			for (MediaType accepted : exchange.getRequest().getHeaders().getAccept()) {
				if (GRAPHQL_RESPONSE.equalsTypeAndSubtype(accepted)) {
					return GRAPHQL_RESPONSE;
				}
			}
		}
		catch (RuntimeException ex) {
			// an unparsable Accept header: answer plain JSON
		}
		return MediaType.APPLICATION_JSON;
	}

	private static <T extends Throwable> T find(Throwable ex, Class<T> type) {
		for (Throwable cause = ex; cause != null; cause = (cause.getCause() != cause) ? cause.getCause() : null) {
			if (type.isInstance(cause)) {
				return type.cast(cause);
			}
		}
		return null;
	}

}
