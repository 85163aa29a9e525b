package dev.boardcast.events;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import dev.boardcast.common.ApiException;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;
import reactor.util.concurrent.Queues;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Service;

/**
 * Every subscriber sees every event of its board exactly once, in seq order (DESIGN.md
 * "Subscriptions"). Each replica holds one bus subscription per board that has local
 * subscribers, shared by all of them, and none for other boards. A subscriber first joins
 * the live stream, then replays the log after its cursor, then takes live events whose
 * seq follows the last one it was sent; a jump in seq (the bus lost something) is filled
 * from the log. One statement every {@code boardcast.events.head-check} reads the latest
 * seq of every watched board, so even a lost last event, or a bus that went quiet, is
 * caught up within that time.
 */
@Service
public class BoardFeeds implements DisposableBean {

	/**
	 * A live signal: an event from the bus, or the board's latest seq from the database.
	 */
	private record Live(BoardEvent event, long headSeq) {
	}

	private static final long GONE = -1;

	private final EventBus bus;

	private final EventLog log;

	private final DatabaseClient db;

	private final int bufferSize;

	private final Map<UUID, Flux<Live>> feeds = new ConcurrentHashMap<>();

	private final Map<UUID, Sinks.Many<Live>> heads = new ConcurrentHashMap<>();

	private final Disposable headCheck;

	private final java.util.concurrent.atomic.AtomicInteger subscribers = new java.util.concurrent.atomic.AtomicInteger();

	private final io.micrometer.core.instrument.Timer deliveryLag;

	BoardFeeds(EventBus bus, EventLog log, DatabaseClient db, io.micrometer.core.instrument.MeterRegistry meters,
			@Value("${boardcast.events.head-check:2s}") Duration headCheck,
			@Value("${boardcast.subscriptions.buffer:1000}") int bufferSize) {
		meters.gauge("boardcast.subscriptions.active", this.subscribers);
		meters.gauge("boardcast.boards.watched", this.feeds, Map::size);
		this.deliveryLag = io.micrometer.core.instrument.Timer.builder("boardcast.events.delivery.lag")
			.description("Commit of an event to its hand-over to a live subscriber")
			.publishPercentiles(0.5, 0.99, 0.999)
			.register(meters);
		this.bus = bus;
		this.log = log;
		this.db = db;
		this.bufferSize = bufferSize;
		this.headCheck = Flux.interval(headCheck, headCheck, Schedulers.parallel())
			.onBackpressureDrop()
			.concatMap((tick) -> checkHeads().onErrorResume((ex) -> Mono.empty()))
			.subscribe();
	}

	/**
	 * Events of a board with seq greater than {@code afterSeq}, then live ones, without
	 * gap or duplicate. A subscriber that falls more than the buffer behind gets an
	 * error; others go on.
	 */
	public Flux<BoardEvent> events(UUID boardId, long afterSeq) {
		return Flux.defer(() -> {
			AtomicLong last = new AtomicLong(afterSeq);
			Sinks.Many<Live> buffer = Sinks.many()
				.unicast()
				.onBackpressureBuffer(Queues.<Live>get(this.bufferSize).get());
			// An overflow must end the subscription now: an error in the buffer would
			// wait
			// behind the events the stalled subscriber never takes.
			Sinks.Empty<Void> overflow = Sinks.empty();
			// Join the live stream before reading the log; what arrives meanwhile waits
			// in the buffer.
			Disposable upstream = shared(boardId).subscribe((signal) -> {
				if (buffer.tryEmitNext(signal).isFailure()) {
					overflow.tryEmitError(SlowConsumerException.of(this.bufferSize));
				}
			}, buffer::tryEmitError, buffer::tryEmitComplete);
			// The first signal replays the log after the cursor; then live signals
			// follow.
			Flux<BoardEvent> delivered = buffer.asFlux()
				.startWith(new Live(null, Long.MAX_VALUE))
				.concatMap((signal) -> deliver(boardId, signal, last), 1);
			this.subscribers.incrementAndGet();
			return Flux.merge(1, delivered, overflow.asMono().thenMany(Flux.<BoardEvent>empty()))
				.doFinally((signal) -> {
					this.subscribers.decrementAndGet();
					upstream.dispose();
				});
		});
	}

	private Flux<BoardEvent> deliver(UUID boardId, Live signal, AtomicLong last) {
		Flux<BoardEvent> candidates;
		if (signal.event() == null && signal.headSeq() == GONE) {
			return Flux.error(ApiException.notFound("board", "boardId"));
		}
		if (signal.event() == null) {
			// the start (MAX_VALUE: replay everything there is) or a head check
			candidates = (signal.headSeq() > last.get()) ? replay(boardId, last.get(), signal.headSeq()) : Flux.empty();
		}
		else if (signal.event().seq() <= last.get() + 1) {
			// live, in order: the path whose latency the delivery-lag metric shows (an
			// event a replay from the log already sent is not handed over again)
			candidates = Flux.just(signal.event())
				.filter((event) -> event.seq() > last.get())
				.doOnNext((event) -> this.deliveryLag
					.record(Duration.between(event.at().toInstant(), java.time.Instant.now())));
		}
		else {
			candidates = replay(boardId, last.get(), signal.event().seq() - 1).concatWithValues(signal.event());
		}
		return candidates.filter((event) -> event.seq() > last.get()).doOnNext((event) -> last.set(event.seq()));
	}

	/** Logged events with {@code after < seq <= upTo}, page by page. */
	private Flux<BoardEvent> replay(UUID boardId, long after, long upTo) {
		int page = 500;
		return this.log.after(boardId, after, page).collectList().flatMapMany((events) -> {
			Flux<BoardEvent> these = Flux.fromIterable(events).filter((event) -> event.seq() <= upTo);
			if (events.size() < page || events.get(events.size() - 1).seq() >= upTo) {
				return these;
			}
			return these.concatWith(replay(boardId, events.get(events.size() - 1).seq(), upTo));
		});
	}

	private Flux<Live> shared(UUID boardId) {
		return this.feeds.computeIfAbsent(boardId, (id) -> {
			Sinks.Many<Live> headSink = Sinks.many().multicast().directBestEffort();
			this.heads.put(id, headSink);
			Flux<Live>[] holder = new Flux[1];
			holder[0] = Flux.merge(this.bus.subscribe(id).map((event) -> new Live(event, 0)), headSink.asFlux())
				.doFinally((signal) -> {
					if (this.feeds.remove(id, holder[0])) {
						this.heads.remove(id, headSink);
					}
				})
				.publish()
				.refCount();
			return holder[0];
		});
	}

	private Mono<Void> checkHeads() {
		if (this.heads.isEmpty()) {
			return Mono.empty();
		}
		UUID[] boards = this.heads.keySet().toArray(UUID[]::new);
		// A watched board that has no row any more was deleted: its subscribers hear
		// GONE.
		return this.db
			.sql("SELECT b.id, coalesce(boards.event_seq, " + GONE
					+ ") AS event_seq FROM unnest(CAST(:ids AS uuid[])) AS b(id) LEFT JOIN boards ON boards.id = b.id")
			.bind("ids", boards)
			.map((row) -> Map.entry(row.get("id", UUID.class), row.get("event_seq", Long.class)))
			.all()
			.doOnNext((head) -> {
				Sinks.Many<Live> sink = this.heads.get(head.getKey());
				if (sink != null) {
					synchronized (sink) {
						sink.tryEmitNext(new Live(null, head.getValue()));
					}
				}
			})
			.then();
	}

	@Override
	public void destroy() {
		this.headCheck.dispose();
	}

}
