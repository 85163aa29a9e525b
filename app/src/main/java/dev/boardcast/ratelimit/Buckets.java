package dev.boardcast.ratelimit;

import io.github.bucket4j.ConsumptionProbe;
import reactor.core.publisher.Mono;

/** Where the buckets live: this replica's memory, or Redis. */
interface Buckets {

	/** Takes one token from the bucket {@code key} of {@code budget}. */
	Mono<ConsumptionProbe> tryConsume(String key, Budget budget);

	/**
	 * Takes {@code tokens} from the bucket {@code key} of {@code budget} whatever it
	 * holds: the bucket may go into debt, which later refills pay off first.
	 */
	Mono<Void> charge(String key, Budget budget, long tokens);

}
