package dev.boardcast.ratelimit;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

import reactor.core.publisher.Mono;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * Rate limits of HTTP requests, as a filter for the security chain right after
 * authentication and before anything reads the body: every authenticated
 * {@code POST /graphql} takes a token of its user, every {@code POST /dev/token} one of
 * its remote address. An empty bucket answers 429 with {@code Retry-After} and nothing is
 * executed.
 * <p>
 * Not a {@link WebFilter} bean itself: WebFlux would run every such bean a second time,
 * outside the security chain.
 */
@Component
public final class HttpRateLimits {

	private final RateLimiter limiter;

	private final String graphQlPath;

	private final InFlight inFlight;

	HttpRateLimits(RateLimiter limiter, @Value("${spring.graphql.http.path:/graphql}") String graphQlPath,
			InFlight inFlight) {
		this.limiter = limiter;
		this.graphQlPath = graphQlPath;
		this.inFlight = inFlight;
	}

	/**
	 * The filter, for
	 * {@code http.addFilterAfter(filter, SecurityWebFiltersOrder.AUTHENTICATION)}.
	 */
	public WebFilter webFilter() {
		return this::filter;
	}

	private Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		ServerHttpRequest request = exchange.getRequest();
		if (request.getMethod() != HttpMethod.POST) {
			return chain.filter(exchange);
		}
		String path = request.getPath().pathWithinApplication().value();
		if (path.equals(this.graphQlPath)) {
			// Without a signed-in user, authorization answers 401 next; that costs no
			// token.
			return ReactiveSecurityContextHolder.getContext()
				.mapNotNull(SecurityContext::getAuthentication)
				.filter(Authentication::isAuthenticated)
				.map(Authentication::getName)
				.flatMap((user) -> this.limiter.user(user).map((verdict) -> new Caller(user, verdict)))
				.defaultIfEmpty(Caller.ANONYMOUS)
				.flatMap((caller) -> {
					if (caller == Caller.ANONYMOUS) {
						return chain.filter(exchange);
					}
					return caller.verdict().allowed() ? inFlight(exchange, chain, caller.user())
							: refuse(exchange, caller.verdict(), graphQlErrors(caller.verdict(), "Too many requests"));
				});
		}
		if (path.equals("/dev/token")) {
			return this.limiter.anonymous(address(request))
				.flatMap((verdict) -> verdict.allowed() ? chain.filter(exchange)
						: refuse(exchange, verdict, devTokenError(verdict)));
		}
		return chain.filter(exchange);
	}

	/** A signed-in user and what their bucket said; {@link #ANONYMOUS} for no user. */
	private record Caller(String user, RateLimiter.Verdict verdict) {

		static final Caller ANONYMOUS = new Caller("", RateLimiter.Verdict.ALLOWED);

	}

	/**
	 * Runs the request when the user has a place on this replica (at once, or after their
	 * earlier requests), else refuses it like an empty bucket: a client that waits a
	 * second and retries gets a place.
	 */
	private Mono<Void> inFlight(ServerWebExchange exchange, WebFilterChain chain, String user) {
		RateLimiter.Verdict retryInASecond = new RateLimiter.Verdict(false, 1);
		return this.inFlight.run(user, () -> chain.filter(exchange),
				() -> refuse(exchange, retryInASecond, graphQlErrors(retryInASecond, "Too many requests at once")));
	}

	/**
	 * The address the server sees: behind a proxy, that is the proxy's unless
	 * {@code server.forward-headers-strategy} is set for a trusted one.
	 */
	private static String address(ServerHttpRequest request) {
		InetSocketAddress remote = request.getRemoteAddress();
		return (remote != null && remote.getAddress() != null) ? remote.getAddress().getHostAddress() : "unknown";
	}

	private static String message(RateLimiter.Verdict verdict, String what) {
		return what + ": retry in " + verdict.retryAfterSeconds() + " s";
	}

	/** A GraphQL response with one error, as a client of the API expects errors. */
	private static String graphQlErrors(RateLimiter.Verdict verdict, String what) {
		return "{\"errors\":[{\"message\":\"" + message(verdict, what)
				+ "\",\"extensions\":{\"code\":\"RATE_LIMITED\",\"retryAfterSeconds\":" + verdict.retryAfterSeconds()
				+ "}}]}";
	}

	/** The shape of the other errors of {@code /dev/token}. */
	private static String devTokenError(RateLimiter.Verdict verdict) {
		return "{\"error\":\"" + message(verdict, "Too many requests")
				+ "\",\"code\":\"RATE_LIMITED\",\"retryAfterSeconds\":" + verdict.retryAfterSeconds() + "}";
	}

	/**
	 * Answers 429 after reading the request's body to its end (at most the body limit)
	 * and dropping it: answering with the body unread left a kept-alive connection with
	 * the client's next request stuck behind it now and then (seen as 30 s timeouts under
	 * the flood benchmark). A body that cannot be read to its end closes the connection.
	 */
	private static Mono<Void> refuse(ServerWebExchange exchange, RateLimiter.Verdict verdict, String body) {
		ServerHttpResponse response = exchange.getResponse();
		response.setStatusCode(HttpStatus.TOO_MANY_REQUESTS);
		response.getHeaders().set(HttpHeaders.RETRY_AFTER, Long.toString(verdict.retryAfterSeconds()));
		response.getHeaders().setContentType(MediaType.APPLICATION_JSON);
		return exchange.getRequest().getBody().doOnNext(DataBufferUtils::release).then().onErrorResume((ex) -> {
			response.getHeaders().set(HttpHeaders.CONNECTION, "close");
			return Mono.empty();
		}).then(Mono.defer(() -> {
			DataBuffer buffer = response.bufferFactory().wrap(body.getBytes(StandardCharsets.UTF_8));
			return response.writeWith(Mono.just(buffer));
		}));
	}

}
