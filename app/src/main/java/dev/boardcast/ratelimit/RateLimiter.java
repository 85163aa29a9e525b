package dev.boardcast.ratelimit;

import java.util.List;
import java.util.Map;

import reactor.core.publisher.Mono;

/**
 * Token buckets per caller: each request takes one token before it runs, and a large
 * answer takes more after it (one token per
 * {@code boardcast.rate-limit.objects-per-token} objects of its data, so a user pays for
 * the work they cause, as GitHub's and Shopify's GraphQL APIs count points); an empty
 * bucket refuses until it refills. Shared by every replica through Redis when Redis is
 * configured, per replica otherwise.
 */
public interface RateLimiter {

	/**
	 * One operation of a signed-in user: a GraphQL request over HTTP or a graphql-ws
	 * {@code subscribe}.
	 */
	Mono<Verdict> user(String userId);

	/**
	 * What a user's operation returned, after it ran: the tokens its answer is worth
	 * beyond the one taken before it are taken now, and may leave the bucket in debt (the
	 * user's next requests wait until it is paid off). Never fails.
	 * @param objects the objects of the answer's data ({@link #objects(Object)})
	 */
	Mono<Void> used(String userId, long objects);

	/** One anonymous request ({@code POST /dev/token}) from a remote address. */
	Mono<Verdict> anonymous(String address);

	/**
	 * The objects of an answer's {@code data}: every JSON object in it, the data itself
	 * included, so no answer counts less than one.
	 */
	static long objects(Object data) {
		if (data instanceof Map<?, ?> map) {
			long count = 1;
			for (Object value : map.values()) {
				count += objects(value);
			}
			return count;
		}
		if (data instanceof List<?> list) {
			long count = 0;
			for (Object value : list) {
				count += objects(value);
			}
			return count;
		}
		return 0;
	}

	/**
	 * Whether a request may go on, and when not, how long until a token is back.
	 *
	 * @param retryAfterSeconds whole seconds until the next token (0 when allowed)
	 */
	record Verdict(boolean allowed, long retryAfterSeconds) {

		public static final Verdict ALLOWED = new Verdict(true, 0);

	}

}
