package dev.boardcast.security;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import graphql.ExecutionResult;
import graphql.GraphqlErrorBuilder;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.graphql.server.WebGraphQlRequest;
import org.springframework.graphql.server.WebGraphQlResponse;
import org.springframework.graphql.server.WebSocketGraphQlInterceptor;
import org.springframework.graphql.server.WebSocketGraphQlRequest;
import org.springframework.graphql.server.WebSocketSessionInfo;
import org.springframework.graphql.server.support.BearerTokenAuthenticationExtractor;
import org.springframework.graphql.server.webflux.AuthenticationWebSocketInterceptor;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.JwtReactiveAuthenticationManager;
import org.springframework.stereotype.Component;

/**
 * graphql-ws connections: the token comes in the {@code connection_init} payload
 * ({@code {"Authorization": "Bearer <jwt>"}}), never in the URL. A missing or bad token
 * closes the socket with 4401 before any data. Each connection holds at most
 * {@code boardcast.subscriptions.per-connection} subscriptions.
 */
@Component
class WebSocketGuard implements WebSocketGraphQlInterceptor {

	private final AuthenticationWebSocketInterceptor authentication;

	private final int maxSubscriptions;

	private final Map<String, Set<String>> subscriptions = new ConcurrentHashMap<>();

	WebSocketGuard(ReactiveJwtDecoder decoder, ViewerAuthenticationConverter viewers,
			@Value("${boardcast.subscriptions.per-connection:50}") int maxSubscriptions) {
		JwtReactiveAuthenticationManager manager = new JwtReactiveAuthenticationManager(decoder);
		manager.setJwtAuthenticationConverter(viewers);
		this.authentication = new AuthenticationWebSocketInterceptor(new BearerTokenAuthenticationExtractor(), manager);
		this.maxSubscriptions = maxSubscriptions;
	}

	@Override
	public Mono<Object> handleConnectionInitialization(WebSocketSessionInfo info, Map<String, Object> payload) {
		Object header = payload.get("Authorization");
		if (!(header instanceof String value) || !value.regionMatches(true, 0, "Bearer ", 0, 7)) {
			return Mono
				.error(new IllegalArgumentException("connection_init needs {\"Authorization\": \"Bearer <token>\"}"));
		}
		return this.authentication.handleConnectionInitialization(info, payload);
	}

	@Override
	public Mono<WebGraphQlResponse> intercept(WebGraphQlRequest request, Chain chain) {
		if (!(request instanceof WebSocketGraphQlRequest socketRequest)) {
			return this.authentication.intercept(request, chain);
		}
		String session = socketRequest.getSessionInfo().getId();
		Set<String> active = this.subscriptions.computeIfAbsent(session, (id) -> ConcurrentHashMap.newKeySet());
		String operation = request.getId();
		if (active.size() >= this.maxSubscriptions && !active.contains(operation)) {
			return Mono.just(refusal(request, "This connection already has " + this.maxSubscriptions
					+ " subscriptions (boardcast.subscriptions.per-connection)"));
		}
		active.add(operation);
		return this.authentication.intercept(request, chain)
			.map((response) -> untrackWhenDone(response, active, operation))
			.doOnError((ex) -> active.remove(operation));
	}

	private WebGraphQlResponse untrackWhenDone(WebGraphQlResponse response, Set<String> active, String operation) {
		Object data = response.getExecutionResult().getData();
		if (!(data instanceof Publisher<?> stream)) {
			active.remove(operation);
			return response;
		}
		return response
			.transform((builder) -> builder.data(Flux.from(stream).doFinally((signal) -> active.remove(operation))));
	}

	private static WebGraphQlResponse refusal(WebGraphQlRequest request, String message) {
		ExecutionResult result = ExecutionResult.newExecutionResult()
			.addError(
					GraphqlErrorBuilder.newError().message(message).extensions(Map.of("code", "RATE_LIMITED")).build())
			.build();
		return new WebGraphQlResponse(new org.springframework.graphql.support.DefaultExecutionGraphQlResponse(
				request.toExecutionInput(), result));
	}

	@Override
	public Mono<Void> handleCancelledSubscription(WebSocketSessionInfo info, String subscriptionId) {
		Set<String> active = this.subscriptions.get(info.getId());
		if (active != null) {
			active.remove(subscriptionId);
		}
		return Mono.empty();
	}

	@Override
	public void handleConnectionClosed(WebSocketSessionInfo info, int statusCode, Map<String, Object> payload) {
		this.subscriptions.remove(info.getId());
	}

}
