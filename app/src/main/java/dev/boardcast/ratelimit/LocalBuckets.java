package dev.boardcast.ratelimit;

import java.time.Duration;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import reactor.core.publisher.Mono;

/**
 * Buckets in this replica's memory: the limiter without Redis, and the fallback while
 * Redis is away. Bounded: a bucket unused for as long as it takes to refill is full
 * again, so dropping it changes nothing; past {@code maxBuckets} the least recently used
 * go first (which at worst lets those callers start over with a full bucket).
 */
final class LocalBuckets implements Buckets {

	private final Cache<String, Bucket> buckets;

	LocalBuckets(Duration idle, long maxBuckets) {
		this.buckets = Caffeine.newBuilder().expireAfterAccess(idle).maximumSize(maxBuckets).build();
	}

	@Override
	public Mono<ConsumptionProbe> tryConsume(String key, Budget budget) {
		// A local bucket is lock-free and never blocks: no need to leave this thread.
		return Mono.just(bucket(key, budget).tryConsumeAndReturnRemaining(1));
	}

	@Override
	public Mono<Void> charge(String key, Budget budget, long tokens) {
		bucket(key, budget).consumeIgnoringRateLimits(tokens);
		return Mono.empty();
	}

	private Bucket bucket(String key, Budget budget) {
		return this.buckets.get(key, (k) -> Bucket.builder().addLimit(budget.bandwidth()).build());
	}

}
