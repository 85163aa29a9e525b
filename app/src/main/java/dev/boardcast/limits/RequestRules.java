package dev.boardcast.limits;

import java.util.List;

import graphql.GraphQLError;
import graphql.introspection.Introspection;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.core.Ordered;
import org.springframework.graphql.execution.SubscriptionPublisherException;
import org.springframework.graphql.server.WebGraphQlInterceptor;
import org.springframework.graphql.server.WebGraphQlRequest;
import org.springframework.graphql.server.WebGraphQlResponse;
import org.springframework.graphql.server.WebSocketGraphQlRequest;

/**
 * Per-request switches for the GraphQL engine, and the graphql-ws answer to a refused
 * request:
 * <ul>
 * <li>requests over graphql-ws are marked, so {@link OperationChecks} allows
 * subscriptions only there;</li>
 * <li>introspection is turned off per request when
 * {@code boardcast.introspection.enabled} is false (Spring Boot's own switch turns it off
 * for the whole JVM, for good);</li>
 * <li>over graphql-ws, a request refused before execution (no {@code data}: a parse,
 * validation or limit error) is answered with an {@code error} message, as the protocol
 * says, instead of {@code next} and {@code complete}.</li>
 * </ul>
 * First of the interceptors, so the errors it sends are the final ones (with their
 * codes).
 */
final class RequestRules implements WebGraphQlInterceptor, Ordered {

	private final boolean introspection;

	RequestRules(boolean introspection) {
		this.introspection = introspection;
	}

	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE;
	}

	@Override
	public Mono<WebGraphQlResponse> intercept(WebGraphQlRequest request, Chain chain) {
		boolean webSocket = request instanceof WebSocketGraphQlRequest;
		request.configureExecutionInput((input, builder) -> {
			input.getGraphQLContext()
				.put(OperationChecks.WEBSOCKET, webSocket)
				.put(Introspection.INTROSPECTION_DISABLED, !this.introspection);
			return input;
		});
		Mono<WebGraphQlResponse> response = chain.next(request);
		return webSocket ? response.map(RequestRules::refusedAsError) : response;
	}

	private static WebGraphQlResponse refusedAsError(WebGraphQlResponse response) {
		List<GraphQLError> errors = response.getExecutionResult().getErrors();
		if (response.getExecutionResult().isDataPresent() || errors.isEmpty()) {
			return response;
		}
		// Spring's graphql-ws handler sends a failing stream's errors as an error message
		return response
			.transform((builder) -> builder.data(Flux.error(new SubscriptionPublisherException(errors, null))));
	}

}
