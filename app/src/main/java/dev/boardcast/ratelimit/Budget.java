package dev.boardcast.ratelimit;

import java.time.Duration;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.BucketConfiguration;

/**
 * One kind of allowance: a bucket of {@code capacity} tokens (the burst) refilled
 * continuously at {@code refillPerSecond}.
 *
 * @param name the prefix of its bucket keys and the tag of its metrics
 */
record Budget(String name, long capacity, double refillPerSecond) {

	Budget {
		if (capacity < 1 || !(refillPerSecond > 0)) {
			throw new IllegalArgumentException(
					"Rate limit " + name + " needs a capacity >= 1 and a refill rate > 0 per second");
		}
	}

	/** How long an empty bucket takes to be full again. */
	Duration timeToFull() {
		return Duration.ofNanos(Math.max(1, (long) Math.ceil(this.capacity / this.refillPerSecond * 1e9)));
	}

	Bandwidth bandwidth() {
		// Greedy refill of the whole capacity over timeToFull(): one token every
		// 1/refillPerSecond seconds, fractional rates included.
		return Bandwidth.builder().capacity(this.capacity).refillGreedy(this.capacity, timeToFull()).build();
	}

	BucketConfiguration configuration() {
		return BucketConfiguration.builder().addLimit(bandwidth()).build();
	}

	String key(String caller) {
		return this.name + ":" + caller;
	}

}
