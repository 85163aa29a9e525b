package dev.boardcast.ratelimit;

import reactor.core.publisher.Mono;

import org.springframework.graphql.server.WebGraphQlInterceptor;
import org.springframework.graphql.server.WebGraphQlRequest;
import org.springframework.graphql.server.WebGraphQlResponse;
import org.springframework.graphql.server.WebSocketGraphQlRequest;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import org.springframework.security.core.context.SecurityContext;

/**
 * Charges a signed-in user's bucket for the size of each answer over HTTP
 * ({@link RateLimiter#used}): a board of 250 tasks costs its reader about nine tokens, a
 * moved task one. The charge is made on the side and never delays the answer. Over
 * graphql-ws the socket's guard charges, with the token it takes per operation.
 */
final class AnswerCharges implements WebGraphQlInterceptor {

	private final RateLimiter limiter;

	AnswerCharges(RateLimiter limiter) {
		this.limiter = limiter;
	}

	@Override
	public Mono<WebGraphQlResponse> intercept(WebGraphQlRequest request, Chain chain) {
		if (request instanceof WebSocketGraphQlRequest) {
			return chain.next(request);
		}
		return chain.next(request)
			.flatMap((response) -> ReactiveSecurityContextHolder.getContext()
				.mapNotNull(SecurityContext::getAuthentication)
				.filter(Authentication::isAuthenticated)
				.doOnNext((user) -> this.limiter
					.used(user.getName(), RateLimiter.objects(response.getExecutionResult().getData()))
					.subscribe())
				.thenReturn(response));
	}

}
