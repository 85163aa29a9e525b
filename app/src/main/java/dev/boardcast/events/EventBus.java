package dev.boardcast.events;

import java.util.UUID;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Carries committed events to every replica. At most once: a lost message is recovered
 * from the log by {@link BoardFeeds}, so publishing never fails a mutation.
 */
public interface EventBus {

	/** Publishes a committed event; failures are logged, never returned. */
	Mono<Void> publish(BoardEvent event);

	/**
	 * Events of one board published from now on; each call is one underlying
	 * subscription.
	 */
	Flux<BoardEvent> subscribe(UUID boardId);

}
