package dev.boardcast.limits;

import java.util.List;
import java.util.Map;

import dev.boardcast.common.ErrorCode;
import dev.boardcast.common.RefusedRequest;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.graphql.server.WebGraphQlHandler;
import org.springframework.graphql.server.WebGraphQlRequest;
import org.springframework.graphql.server.WebGraphQlResponse;
import org.springframework.graphql.server.support.SerializableGraphQlRequest;
import org.springframework.graphql.server.webflux.GraphQlHttpHandler;
import org.springframework.http.HttpStatus;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * POST /graphql with the body checked before anything runs: one JSON object whose
 * {@code query} is a string, {@code operationName} a string, {@code variables} and
 * {@code extensions} objects. Anything else (no body, not JSON, a batch array, a number
 * for a query) is a 400 that says what is wrong, where Spring's handler would answer an
 * empty 200 or coerce {@code 5} into the document {@code "5"}.
 */
final class StrictGraphQlHttpHandler extends GraphQlHttpHandler {

	private final WebGraphQlHandler graphQlHandler;

	private final ResultJson json;

	StrictGraphQlHttpHandler(WebGraphQlHandler graphQlHandler, JsonMapper json) {
		super(graphQlHandler);
		this.graphQlHandler = graphQlHandler;
		this.json = new ResultJson(json);
	}

	@Override
	public Mono<ServerResponse> handleRequest(ServerRequest request) {
		return request.bodyToMono(Object.class)
			.onErrorMap(StrictGraphQlHttpHandler::unreadable)
			.switchIfEmpty(Mono.error(() -> badRequest(
					"The request body is empty: send a JSON object with the GraphQL document in \"query\"")))
			.map((body) -> graphQlRequest(request, body))
			.flatMap(this.graphQlHandler::handleRequest)
			.flatMap((response) -> prepareResponse(request, response));
	}

	/** The response's JSON, written by {@link ResultJson}. */
	@Override
	protected Object encodeResponseIfNecessary(WebGraphQlResponse response) {
		return this.json.write(response.toMap());
	}

	private static WebGraphQlRequest graphQlRequest(ServerRequest request, Object body) {
		if (!(body instanceof Map<?, ?> map)) {
			throw badRequest((body instanceof List)
					? "The request body is a JSON array: send one "
							+ "JSON object per request (batching is not supported)"
					: "The request body must be a JSON object with the GraphQL document in \"query\"");
		}
		SerializableGraphQlRequest graphQl = new SerializableGraphQlRequest();
		Object query = map.get("query");
		if (query == null) {
			throw badRequest("\"query\" is missing: send the GraphQL document as a string in \"query\"");
		}
		if (!(query instanceof String text) || text.isBlank()) {
			throw badRequest("\"query\" must be a non-empty string holding the GraphQL document");
		}
		graphQl.setQuery(text);
		Object operationName = map.get("operationName");
		if (operationName != null && !(operationName instanceof String)) {
			throw badRequest("\"operationName\" must be a string");
		}
		graphQl.setOperationName((String) operationName);
		graphQl.setVariables(object(map, "variables"));
		graphQl.setExtensions(object(map, "extensions"));
		return new WebGraphQlRequest(request.uri(), request.headers().asHttpHeaders(), request.cookies(),
				request.remoteAddress().orElse(null), request.attributes(), graphQl,
				request.exchange().getRequest().getId(), request.exchange().getLocaleContext().getLocale());
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> object(Map<?, ?> body, String key) {
		Object value = body.get(key);
		if (value == null) {
			return Map.of();
		}
		if (!(value instanceof Map)) {
			throw badRequest("\"" + key + "\" must be a JSON object");
		}
		return (Map<String, Object>) value;
	}

	private static Throwable unreadable(Throwable ex) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (cause instanceof RefusedRequest refused) {
				return refused;
			}
			if (cause instanceof DataBufferLimitException) {
				return ex;
			}
			if (cause instanceof JacksonException json) {
				TokenStreamLocation at = json.getLocation();
				return badRequest("The request body is not valid JSON" + ((at != null && at.getLineNr() > 0)
						? " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")" : ""));
			}
		}
		return ex;
	}

	private static RefusedRequest badRequest(String message) {
		return new RefusedRequest(HttpStatus.BAD_REQUEST, ErrorCode.BAD_USER_INPUT, message);
	}

}
