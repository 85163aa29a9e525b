package dev.boardcast.ratelimit;

import io.github.bucket4j.ConsumptionProbe;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.publisher.Mono;

/** The limiter: one budget for signed-in users, one for anonymous callers. */
final class BucketRateLimiter implements RateLimiter {

	private static final Log logger = LogFactory.getLog(BucketRateLimiter.class);

	private final Buckets buckets;

	private final Budget users;

	private final Budget anonymous;

	private final long objectsPerToken;

	private final Counter refusedUsers;

	private final Counter refusedAnonymous;

	/**
	 * @param objectsPerToken the objects of an answer one token pays for; 0 or less: an
	 * answer costs nothing beyond its request's token
	 */
	BucketRateLimiter(Buckets buckets, Budget users, Budget anonymous, long objectsPerToken, MeterRegistry meters) {
		this.buckets = buckets;
		this.users = users;
		this.anonymous = anonymous;
		this.objectsPerToken = objectsPerToken;
		this.refusedUsers = refusals(meters, users);
		this.refusedAnonymous = refusals(meters, anonymous);
	}

	private static Counter refusals(MeterRegistry meters, Budget budget) {
		return Counter.builder("boardcast.rate.limited")
			.description("Requests refused with RATE_LIMITED because the caller's bucket was empty")
			.tag("budget", budget.name())
			.register(meters);
	}

	@Override
	public Mono<Verdict> user(String userId) {
		return consume(this.users, userId, this.refusedUsers);
	}

	@Override
	public Mono<Void> used(String userId, long objects) {
		long tokens = tokens(objects) - 1;
		if (tokens <= 0) {
			return Mono.empty();
		}
		return Mono.defer(() -> this.buckets.charge(this.users.key(userId), this.users, tokens)).onErrorResume((ex) -> {
			logger.warn("Could not charge a rate-limit bucket for an answer's size: " + ex);
			return Mono.empty();
		});
	}

	/**
	 * What an answer of {@code objects} objects is worth: one token per objectsPerToken
	 * started, at least the request's one, at most a full bucket (one answer never puts a
	 * user in debt for longer than an empty bucket takes to refill).
	 */
	long tokens(long objects) {
		if (this.objectsPerToken <= 0) {
			return 1;
		}
		long tokens = (objects + this.objectsPerToken - 1) / this.objectsPerToken;
		return Math.max(1, Math.min(tokens, this.users.capacity()));
	}

	@Override
	public Mono<Verdict> anonymous(String address) {
		return consume(this.anonymous, address, this.refusedAnonymous);
	}

	private Mono<Verdict> consume(Budget budget, String caller, Counter refused) {
		return this.buckets.tryConsume(budget.key(caller), budget).map((probe) -> verdict(probe, refused));
	}

	private static Verdict verdict(ConsumptionProbe probe, Counter refused) {
		if (probe.isConsumed()) {
			return Verdict.ALLOWED;
		}
		refused.increment();
		// Whole seconds, rounded up: a client that waits this long finds a token.
		long seconds = (probe.getNanosToWaitForRefill() + 999_999_999L) / 1_000_000_000L;
		return new Verdict(false, Math.max(1, seconds));
	}

}
