package dev.boardcast.events;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;
import reactor.core.publisher.Mono;

/**
 * The event bus of a single replica (no Redis configured): subscribers kept by board, so
 * an event reaches its own board's subscribers only, whatever the number of watched
 * boards.
 */
class InProcessEventBus implements EventBus {

	private final Map<UUID, List<FluxSink<BoardEvent>>> subscribers = new ConcurrentHashMap<>();

	@Override
	public Mono<Void> publish(BoardEvent event) {
		return Mono.fromRunnable(() -> {
			List<FluxSink<BoardEvent>> these = this.subscribers.get(event.boardId());
			if (these != null) {
				// each sink serializes emissions: mutations of a board may publish from
				// several threads
				for (FluxSink<BoardEvent> sink : these) {
					sink.next(event);
				}
			}
		});
	}

	@Override
	public Flux<BoardEvent> subscribe(UUID boardId) {
		return Flux.create((sink) -> {
			synchronized (this.subscribers) {
				this.subscribers.computeIfAbsent(boardId, (id) -> new CopyOnWriteArrayList<>()).add(sink);
			}
			sink.onDispose(() -> {
				synchronized (this.subscribers) {
					List<FluxSink<BoardEvent>> these = this.subscribers.get(boardId);
					if (these != null && these.remove(sink) && these.isEmpty()) {
						this.subscribers.remove(boardId);
					}
				}
			});
		});
	}

}
