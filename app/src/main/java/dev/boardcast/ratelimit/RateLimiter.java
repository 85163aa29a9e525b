package dev.boardcast.ratelimit;

import reactor.core.publisher.Mono;

/**
 * Token buckets per caller: each request takes one token; an empty bucket refuses until
 * it refills. Shared by every replica through Redis when Redis is configured, per replica
 * otherwise.
 */
public interface RateLimiter {

	/**
	 * One operation of a signed-in user: a GraphQL request over HTTP or a graphql-ws
	 * {@code subscribe}.
	 */
	Mono<Verdict> user(String userId);

	/** One anonymous request ({@code POST /dev/token}) from a remote address. */
	Mono<Verdict> anonymous(String address);

	/**
	 * Whether a request may go on, and when not, how long until a token is back.
	 *
	 * @param retryAfterSeconds whole seconds until the next token (0 when allowed)
	 */
	record Verdict(boolean allowed, long retryAfterSeconds) {

		public static final Verdict ALLOWED = new Verdict(true, 0);

	}

}
