package dev.boardcast.events;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.util.UUID;

/**
 * Carries committed events to every replica's subscribers. At most once: a lost message
 * is recovered from the log by the subscriber, so publishing never fails a mutation.
 */
public interface EventBus {

	/** Publishes a committed event; errors are logged, not returned. */
	Mono<Void> publish(BoardEvent event);

	/** Live events of one board, as they are published from now on. */
	Flux<BoardEvent> live(UUID boardId);

}
