package dev.boardcast.security;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import dev.boardcast.ratelimit.InFlight;
import dev.boardcast.ratelimit.RateLimiter;
import graphql.ExecutionResult;
import graphql.GraphqlErrorBuilder;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.Ordered;
import org.springframework.graphql.execution.SubscriptionPublisherException;
import org.springframework.graphql.server.WebGraphQlRequest;
import org.springframework.graphql.server.WebGraphQlResponse;
import org.springframework.graphql.server.WebSocketGraphQlInterceptor;
import org.springframework.graphql.server.WebSocketGraphQlRequest;
import org.springframework.graphql.server.WebSocketSessionInfo;
import org.springframework.graphql.server.support.BearerTokenAuthenticationExtractor;
import org.springframework.graphql.support.DefaultExecutionGraphQlResponse;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextImpl;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.JwtReactiveAuthenticationManager;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.socket.CloseStatus;
import org.springframework.web.reactive.socket.WebSocketSession;

/**
 * graphql-ws connections: the token comes in the {@code connection_init} payload
 * ({@code {"Authorization": "Bearer <jwt>"}}), never in the URL. A missing or bad token
 * closes the socket with 4401 before any data. A user holds at most
 * {@code boardcast.websocket.connections-per-user} connections on one replica (more:
 * closed with 4430 right after {@code connection_init}), a connection at most
 * {@code boardcast.subscriptions.per-connection} subscriptions, and every
 * {@code subscribe} takes a token of the user's rate limit; a refused {@code subscribe}
 * gets a graphql-ws {@code error} with RATE_LIMITED and the connection stays open.
 * <p>
 * Second of the interceptors (after {@code limits.RequestRules}): an operation waits in
 * its user's line before it waits for one of the replica's running places
 * ({@code limits.RunningOperations}), so a user's waiting operations hold none of those.
 */
@Component
class WebSocketGuard implements WebSocketGraphQlInterceptor, Ordered {

	/** {@link Ordered#HIGHEST_PRECEDENCE} + 1: see the class comment. */
	static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 1;

	@Override
	public int getOrder() {
		return ORDER;
	}

	/** Closes a connection beyond the user's cap on this replica. */
	static final CloseStatus TOO_MANY_CONNECTIONS = new CloseStatus(4430, "Too many connections");

	/**
	 * Where {@code config.WebSocketConfig} leaves the session, so that this guard can
	 * close it with its own code (graphql-ws closes a failed init with 4401).
	 */
	static final String SESSION_ATTRIBUTE = WebSocketSession.class.getName();

	private static final String SECURITY_CONTEXT = WebSocketGuard.class.getName() + ".SECURITY_CONTEXT";

	private static final String USER = WebSocketGuard.class.getName() + ".USER";

	private final BearerTokenAuthenticationExtractor tokens = new BearerTokenAuthenticationExtractor();

	private final JwtReactiveAuthenticationManager authentication;

	private final RateLimiter rateLimiter;

	private final InFlight lines;

	private final int maxSubscriptions;

	private final int maxConnectionsPerUser;

	/** Active subscription ids by session id. */
	private final Map<String, Set<String>> subscriptions = new ConcurrentHashMap<>();

	/** Open (initialized) session ids by user, on this replica. */
	private final Map<UUID, Set<String>> connections = new ConcurrentHashMap<>();

	WebSocketGuard(ReactiveJwtDecoder decoder, ViewerAuthenticationConverter viewers, RateLimiter rateLimiter,
			InFlight lines, @Value("${boardcast.subscriptions.per-connection:50}") int maxSubscriptions,
			@Value("${boardcast.websocket.connections-per-user:20}") int maxConnectionsPerUser) {
		this.authentication = new JwtReactiveAuthenticationManager(decoder);
		this.authentication.setJwtAuthenticationConverter(viewers);
		this.rateLimiter = rateLimiter;
		this.lines = lines;
		this.maxSubscriptions = maxSubscriptions;
		this.maxConnectionsPerUser = maxConnectionsPerUser;
	}

	@Override
	public Mono<Object> handleConnectionInitialization(WebSocketSessionInfo info, Map<String, Object> payload) {
		Object header = payload.get("Authorization");
		if (!(header instanceof String value) || !value.regionMatches(true, 0, "Bearer ", 0, 7)) {
			return Mono
				.error(new IllegalArgumentException("connection_init needs {\"Authorization\": \"Bearer <token>\"}"));
		}
		return this.tokens.getAuthentication(payload)
			.flatMap(this.authentication::authenticate)
			.switchIfEmpty(Mono.error(() -> new IllegalArgumentException("connection_init without a token")))
			.flatMap((authenticated) -> admit(info, authenticated))
			.then(Mono.empty());
	}

	/**
	 * Counts the connection against its user's cap, or closes it with 4430 before it is
	 * acknowledged.
	 */
	private Mono<Authentication> admit(WebSocketSessionInfo info, Authentication authenticated) {
		UUID user = ((Viewer) authenticated.getPrincipal()).id();
		String session = info.getId();
		boolean[] admitted = new boolean[1];
		this.connections.compute(user, (id, sessions) -> {
			Set<String> open = (sessions != null) ? sessions : ConcurrentHashMap.newKeySet();
			if (open.size() < this.maxConnectionsPerUser) {
				open.add(session);
				admitted[0] = true;
			}
			return open.isEmpty() ? null : open;
		});
		if (!admitted[0]) {
			Mono<Void> close = (info.getAttributes().get(SESSION_ATTRIBUTE) instanceof WebSocketSession socket)
					? socket.close(TOO_MANY_CONNECTIONS) : Mono.empty();
			// The error makes graphql-ws close too (with 4401), which is a no-op once the
			// 4430 close is sent; no connection_ack is sent either way.
			return close.then(Mono.error(new IllegalStateException("Too many connections of user " + user)));
		}
		info.getAttributes().put(USER, user);
		Authentication kept = (authenticated instanceof ViewerAuthentication viewer) ? viewer.withoutToken()
				: authenticated;
		info.getAttributes().put(SECURITY_CONTEXT, new SecurityContextImpl(kept));
		return Mono.just(authenticated);
	}

	@Override
	public Mono<WebGraphQlResponse> intercept(WebGraphQlRequest request, Chain chain) {
		if (!(request instanceof WebSocketGraphQlRequest socketRequest)) {
			return chain.next(request);
		}
		Map<String, Object> attributes = socketRequest.getSessionInfo().getAttributes();
		if (!(attributes.get(SECURITY_CONTEXT) instanceof SecurityContext security)) {
			// graphql-ws closes with 4401 on a subscribe before connection_init
			return chain.next(request);
		}
		String session = socketRequest.getSessionInfo().getId();
		Set<String> active = this.subscriptions.computeIfAbsent(session, (id) -> ConcurrentHashMap.newKeySet());
		String operation = request.getId();
		// Messages of one connection arrive one at a time: reserving the slot before the
		// (asynchronous) rate limit keeps the cap exact.
		if (active.size() >= this.maxSubscriptions && !active.contains(operation)) {
			return Mono.just(refusal(request, "This connection already has " + this.maxSubscriptions
					+ " subscriptions (boardcast.subscriptions.per-connection)", null));
		}
		active.add(operation);
		String user = security.getAuthentication().getName();
		return this.rateLimiter.user(user).flatMap((verdict) -> {
			if (!verdict.allowed()) {
				active.remove(operation);
				return Mono.just(refusal(request, "Too many requests: retry in " + verdict.retryAfterSeconds() + " s",
						verdict.retryAfterSeconds()));
			}
			// In the user's line, like a request over HTTP, until it has run (a
			// subscription: until its stream is set up).
			return this.lines.run(user,
					() -> chain.next(request)
						.contextWrite(ReactiveSecurityContextHolder.withSecurityContext(Mono.just(security)))
						.map((response) -> untrackWhenDone(response, active, operation, user)),
					() -> {
						active.remove(operation);
						return Mono.just(refusal(request, "Too many requests at once: retry in 1 s", 1L));
					});
		}).doOnError((ex) -> active.remove(operation));
	}

	/**
	 * Frees the operation's slot when it is done: a query or mutation now (and its
	 * answer's size is charged to the user, as over HTTP), a subscription when its stream
	 * ends.
	 */
	private WebGraphQlResponse untrackWhenDone(WebGraphQlResponse response, Set<String> active, String operation,
			String user) {
		Object data = response.getExecutionResult().getData();
		if (!(data instanceof Publisher<?> stream)) {
			active.remove(operation);
			this.rateLimiter.used(user, RateLimiter.objects(data)).subscribe();
			return response;
		}
		return response
			.transform((builder) -> builder.data(Flux.from(stream).doFinally((signal) -> active.remove(operation))));
	}

	/**
	 * A refused operation: graphql-ws answers it with an {@code error} message (it never
	 * started), and the connection goes on.
	 */
	private static WebGraphQlResponse refusal(WebGraphQlRequest request, String message, Long retryAfterSeconds) {
		Map<String, Object> extensions = (retryAfterSeconds != null)
				? Map.of("code", "RATE_LIMITED", "retryAfterSeconds", retryAfterSeconds)
				: Map.of("code", "RATE_LIMITED");
		SubscriptionPublisherException refused = new SubscriptionPublisherException(
				List.of(GraphqlErrorBuilder.newError().message(message).extensions(extensions).build()), null);
		ExecutionResult result = ExecutionResult.newExecutionResult().data(Flux.error(refused)).build();
		return new WebGraphQlResponse(new DefaultExecutionGraphQlResponse(request.toExecutionInput(), result));
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
		if (info.getAttributes().get(USER) instanceof UUID user) {
			this.connections.computeIfPresent(user, (id, sessions) -> {
				sessions.remove(info.getId());
				return sessions.isEmpty() ? null : sessions;
			});
		}
	}

}
