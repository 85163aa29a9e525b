package dev.boardcast.events;

import java.util.UUID;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * The event bus of a single replica (no Redis configured): a multicast sink in memory.
 */
class InProcessEventBus implements EventBus {

	private final Sinks.Many<BoardEvent> sink = Sinks.many().multicast().directBestEffort();

	@Override
	public Mono<Void> publish(BoardEvent event) {
		return Mono.fromRunnable(() -> {
			// Sinks need serialized emission; mutations of different boards commit
			// concurrently.
			synchronized (this.sink) {
				this.sink.tryEmitNext(event);
			}
		});
	}

	@Override
	public Flux<BoardEvent> subscribe(UUID boardId) {
		return this.sink.asFlux().filter((event) -> event.boardId().equals(boardId));
	}

}
