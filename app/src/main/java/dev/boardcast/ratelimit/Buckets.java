package dev.boardcast.ratelimit;

import io.github.bucket4j.ConsumptionProbe;
import reactor.core.publisher.Mono;

/** Where the buckets live: this replica's memory, or Redis. */
interface Buckets {

	/** Takes one token from the bucket {@code key} of {@code budget}. */
	Mono<ConsumptionProbe> tryConsume(String key, Budget budget);

}
