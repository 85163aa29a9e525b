package dev.boardcast.ratelimit;

import io.github.bucket4j.ConsumptionProbe;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import reactor.core.publisher.Mono;

/** The limiter: one budget for signed-in users, one for anonymous callers. */
final class BucketRateLimiter implements RateLimiter {

	private final Buckets buckets;

	private final Budget users;

	private final Budget anonymous;

	private final Counter refusedUsers;

	private final Counter refusedAnonymous;

	BucketRateLimiter(Buckets buckets, Budget users, Budget anonymous, MeterRegistry meters) {
		this.buckets = buckets;
		this.users = users;
		this.anonymous = anonymous;
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
