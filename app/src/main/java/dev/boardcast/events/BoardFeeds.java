package dev.boardcast.events;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import dev.boardcast.common.ApiException;
import org.reactivestreams.Publisher;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;
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
 * seq follows the last one it was sent. One statement every
 * {@code boardcast.events.head-check} reads the latest seq of every watched board, so
 * even a lost last event, or a bus that went quiet, is caught up within that time.
 * <p>
 * The work per event is done once per board per replica where it can be: the bus message
 * is decoded once, and the board's live stream is put in seq order once (a jump in seq,
 * from a message the bus lost or from two replicas' publishes overtaking each other, is
 * filled by one read of the log for all local subscribers; an event already passed on is
 * dropped). Each subscriber then only compares seqs: it reads the log itself only around
 * its own start (its replay after the cursor meeting the live stream) or when the board's
 * read failed. The board's stream is handed to its subscribers off the bus's I/O thread,
 * each keeping the board's order: a graphql-ws subscriber's on the event loop of its
 * socket, which then runs its selection and writes the answer without passing it to
 * another thread (measured against a delivery thread in between: 0.62x the latency, 0.93x
 * the CPU per delivery); any other on delivery threads (one per core), over which a
 * board's subscribers are spread.
 */
@Service
public class BoardFeeds implements DisposableBean {

	/**
	 * A live signal: an event from the bus, or the board's latest seq from the database.
	 */
	private record Live(BoardEvent event, long headSeq) {
	}

	private static final long GONE = -1;

	/**
	 * The GraphQL context's key of the event loop of a graphql-ws subscriber's socket (an
	 * {@link Executor}), where its live events are handed over.
	 */
	public static final String SOCKET_EVENT_LOOP = "boardcast.socketEventLoop";

	/**
	 * Lane shards per board at most: one per core (a board has one more shard per event
	 * loop its graphql-ws subscribers' sockets are on).
	 */
	private static final int SHARDS = Schedulers.DEFAULT_POOL_SIZE;

	/**
	 * One delivery thread per core; shard i of every board is delivered on lane i, so a
	 * board's shards never share a thread.
	 */
	private final Scheduler[] lanes = new Scheduler[SHARDS];

	/** The signal that starts a subscriber: replay everything after its cursor. */
	private static final Live START = new Live(null, Long.MAX_VALUE);

	private final EventBus bus;

	private final EventLog log;

	private final DatabaseClient db;

	private final int bufferSize;

	/** The boards with local subscribers; joined and left under its own lock. */
	private final Map<UUID, Board> boards = new ConcurrentHashMap<>();

	private final Disposable headCheck;

	private final AtomicInteger subscribers = new AtomicInteger();

	private final io.micrometer.core.instrument.Timer deliveryLag;

	BoardFeeds(EventBus bus, EventLog log, DatabaseClient db, io.micrometer.core.instrument.MeterRegistry meters,
			@Value("${boardcast.events.head-check:2s}") Duration headCheck,
			@Value("${boardcast.subscriptions.buffer:1000}") int bufferSize) {
		meters.gauge("boardcast.subscriptions.active", this.subscribers);
		meters.gauge("boardcast.boards.watched", this.boards, Map::size);
		this.deliveryLag = io.micrometer.core.instrument.Timer.builder("boardcast.events.delivery.lag")
			.description("Commit of an event to its hand-over to a live subscriber")
			.publishPercentiles(0.5, 0.99, 0.999)
			.register(meters);
		this.bus = bus;
		this.log = log;
		this.db = db;
		this.bufferSize = bufferSize;
		for (int i = 0; i < SHARDS; i++) {
			this.lanes[i] = Schedulers.newSingle("boardcast-delivery-" + i, true);
		}
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
		return events(boardId, afterSeq, null);
	}

	/**
	 * As {@link #events(UUID, long)}, with live events handed over on {@code loop}: the
	 * event loop of the subscriber's socket, where its answer is written anyway (one
	 * thread hand-over less per event), or {@code null} for a delivery lane.
	 */
	public Flux<BoardEvent> events(UUID boardId, long afterSeq, Executor loop) {
		return Flux.defer(() -> {
			AtomicLong last = new AtomicLong(afterSeq);
			Feed feed = new Feed(this.bufferSize);
			// Join the live stream before reading the log; what arrives meanwhile waits
			// in the feed.
			Board board = join(boardId, feed, loop);
			// First the log after the cursor, then live signals. Not one concatMap over
			// both: that would keep the finished replay (its statement, its parsed SQL)
			// referenced until the next event, forever on an idle board.
			Flux<BoardEvent> delivered = Flux.concat(Flux.defer(() -> deliver(boardId, START, last)),
					feed.buffer.asFlux()
						.doOnNext((signal) -> feed.pending.decrementAndGet())
						.concatMap((signal) -> deliver(boardId, signal, last), 1));
			this.subscribers.incrementAndGet();
			return Flux.merge(1, delivered, feed.overflow.asMono().thenMany(Flux.<BoardEvent>empty()))
				.doFinally((signal) -> {
					this.subscribers.decrementAndGet();
					leave(board, feed);
				});
		});
	}

	private Publisher<BoardEvent> deliver(UUID boardId, Live signal, AtomicLong last) {
		// concatMap calls this once the previous signal's events are all out, so
		// "last" is
		// up to date here; the scalar results (the live path) take concatMap's fast path
		if (signal.event() == null && signal.headSeq() == GONE) {
			return Flux.error(ApiException.notFound("board", "boardId"));
		}
		if (signal.event() == null) {
			// the start (MAX_VALUE: replay everything there is) or a head check
			return (signal.headSeq() > last.get())
					? replay(boardId, last.get(), signal.headSeq()).filter((event) -> event.seq() > last.get())
						.doOnNext((event) -> last.set(event.seq()))
					: Mono.empty();
		}
		BoardEvent event = signal.event();
		if (event.seq() <= last.get()) {
			// a replay from the log already sent it
			return Mono.empty();
		}
		if (event.seq() == last.get() + 1) {
			// live, in order: the path whose latency the delivery-lag metric shows
			last.set(event.seq());
			this.deliveryLag.record(Duration.between(event.at().toInstant(), Instant.now()));
			return Mono.just(event);
		}
		return replay(boardId, last.get(), event.seq() - 1).concatWithValues(event)
			.filter((candidate) -> candidate.seq() > last.get())
			.doOnNext((candidate) -> last.set(candidate.seq()));
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

	private Board join(UUID boardId, Feed feed, Executor loop) {
		synchronized (this.boards) {
			Board board = this.boards.computeIfAbsent(boardId, Board::new);
			board.add(feed, loop);
			if (board.upstream == null) {
				board.start();
			}
			return board;
		}
	}

	private void leave(Board board, Feed feed) {
		synchronized (this.boards) {
			if (board.remove(feed) && this.boards.remove(board.id, board)) {
				board.close();
			}
		}
	}

	/**
	 * How many of a board's local subscribers are handed their events on an event loop of
	 * their own socket (the rest on delivery lanes).
	 */
	int onSocketLoops(UUID boardId) {
		synchronized (this.boards) {
			Board board = this.boards.get(boardId);
			int count = 0;
			if (board != null) {
				for (Shard shard : board.shards) {
					count += (shard.loop != null) ? shard.feeds.size() : 0;
				}
			}
			return count;
		}
	}

	private Mono<Void> checkHeads() {
		if (this.boards.isEmpty()) {
			return Mono.empty();
		}
		Map<UUID, Board> watched = new HashMap<>(this.boards);
		UUID[] ids = watched.keySet().toArray(UUID[]::new);
		// A watched board that has no row any more was deleted: its subscribers hear
		// GONE.
		return this.db
			.sql("SELECT b.id, coalesce(boards.event_seq, " + GONE
					+ ") AS event_seq FROM unnest(CAST(:ids AS uuid[])) AS b(id) LEFT JOIN boards ON boards.id = b.id")
			.bind("ids", ids)
			.map((row) -> Map.entry(row.get("id", UUID.class), row.get("event_seq", Long.class)))
			.all()
			.doOnNext((head) -> {
				Board board = watched.get(head.getKey());
				if (board != null) {
					synchronized (board.heads) {
						board.heads.tryEmitNext(new Live(null, head.getValue()));
					}
				}
			})
			.then();
	}

	@Override
	public void destroy() {
		this.headCheck.dispose();
		for (Scheduler lane : this.lanes) {
			lane.dispose();
		}
	}

	/**
	 * One local subscriber's queue of live signals. Allocated small and grown as needed;
	 * more than the buffer size waiting ends the subscription.
	 */
	private static final class Feed {

		/** One producer: the board's delivery worker. */
		final Sinks.Many<Live> buffer = Sinks.unsafe()
			.many()
			.unicast()
			.onBackpressureBuffer(Queues.<Live>unbounded(8).get());

		final AtomicInteger pending = new AtomicInteger();

		/**
		 * An overflow must end the subscription now: an error in the buffer would wait
		 * behind the events the stalled subscriber never takes.
		 */
		final Sinks.Empty<Void> overflow = Sinks.empty();

		private final int limit;

		private boolean overflowed;

		/** Where it is delivered; set when it joins its board. */
		Shard shard;

		Feed(int limit) {
			this.limit = limit;
		}

		void offer(Live signal) {
			if (this.overflowed) {
				return;
			}
			if (this.pending.incrementAndGet() > this.limit || this.buffer.tryEmitNext(signal).isFailure()) {
				this.overflowed = true;
				this.overflow.tryEmitError(SlowConsumerException.of(this.limit));
			}
		}

	}

	/**
	 * Some feeds of a board, delivered in order on one thread (so the single producer of
	 * each of them): a worker of a delivery lane, or the event loop of their sockets.
	 */
	private static final class Shard {

		/** The worker of a lane; {@code null} for an event loop's shard. */
		final Scheduler.Worker worker;

		/** The event loop; {@code null} for a lane's shard. */
		final Executor loop;

		Shard(Scheduler lane) {
			this.worker = lane.createWorker();
			this.loop = null;
		}

		Shard(Executor loop) {
			this.worker = null;
			this.loop = loop;
		}

		final List<Feed> feeds = new CopyOnWriteArrayList<>();

		void handOn(Live signal) {
			Runnable offer = () -> {
				for (Feed feed : this.feeds) {
					feed.offer(signal);
				}
			};
			try {
				if (this.loop != null) {
					this.loop.execute(offer);
				}
				else {
					this.worker.schedule(offer);
				}
			}
			catch (RejectedExecutionException ex) {
				// the board was closed, or the server is stopping: nobody left to
				// deliver to
			}
		}

		void dispose() {
			if (this.worker != null) {
				this.worker.dispose();
			}
		}

	}

	/**
	 * A board with local subscribers: its bus subscription and head checks, put in seq
	 * order once and handed to every feed. The feeds are spread over up to one shard per
	 * core, so the subscribers of a busy board are served on every core, each in the
	 * board's order.
	 */
	private final class Board {

		final UUID id;

		/** Copied on write, under the lock of {@code boards}. */
		private volatile Shard[] shards = new Shard[0];

		private int size;

		/** Lane shards made so far. */
		private int lanes;

		final Sinks.Many<Live> heads = Sinks.many().multicast().directBestEffort();

		Disposable upstream;

		/**
		 * The highest seq handed on, -1 before the first; only the board's ordering step
		 * (serialized) touches it.
		 */
		private long handedOn = -1;

		Board(UUID id) {
			this.id = id;
		}

		/**
		 * Under the lock of {@code boards}: to the shard of its event loop, or without
		 * one to the lane shard with the fewest feeds.
		 */
		void add(Feed feed, Executor loop) {
			Shard target = null;
			for (Shard shard : this.shards) {
				if (loop != null && shard.loop == loop) {
					target = shard;
					break;
				}
				if (loop == null && shard.worker != null
						&& (target == null || shard.feeds.size() < target.feeds.size())) {
					target = shard;
				}
			}
			if (loop != null && target == null) {
				target = addShard(new Shard(loop));
			}
			else if (loop == null && this.lanes < SHARDS && (target == null || !target.feeds.isEmpty())) {
				target = addShard(new Shard(BoardFeeds.this.lanes[this.lanes++]));
			}
			feed.shard = target;
			target.feeds.add(feed);
			this.size++;
		}

		private Shard addShard(Shard shard) {
			Shard[] more = Arrays.copyOf(this.shards, this.shards.length + 1);
			more[more.length - 1] = shard;
			this.shards = more;
			return shard;
		}

		/** Under the lock of {@code boards}; whether the board has no feed left. */
		boolean remove(Feed feed) {
			if (feed.shard.feeds.remove(feed)) {
				this.size--;
			}
			return this.size == 0;
		}

		void close() {
			this.upstream.dispose();
			for (Shard shard : this.shards) {
				shard.dispose();
			}
		}

		void start() {
			this.upstream = Flux
				.merge(BoardFeeds.this.bus.subscribe(this.id).map((event) -> new Live(event, 0)), this.heads.asFlux())
				.concatMap(this::inOrder)
				.subscribe(this::handOn, (ex) -> {
					// not expected (inOrder recovers from failed reads): end every feed,
					// whose
					// subscribers resume from their cursor
					for (Shard shard : this.shards) {
						for (Feed feed : shard.feeds) {
							feed.overflow.tryEmitError(ex);
						}
					}
				});
		}

		/** The signal, with what the log has between it and the last one handed on. */
		private Publisher<Live> inOrder(Live signal) {
			BoardEvent event = signal.event();
			if (event == null) {
				if (signal.headSeq() == GONE || this.handedOn < 0 || signal.headSeq() <= this.handedOn) {
					// subscribers still behind the head (around their start) catch up
					// themselves
					return Mono.just(signal);
				}
				return fill(signal.headSeq()).concatWithValues(signal);
			}
			if (this.handedOn >= 0 && event.seq() <= this.handedOn) {
				return Mono.empty();
			}
			if (this.handedOn < 0 || event.seq() == this.handedOn + 1) {
				this.handedOn = event.seq();
				return Mono.just(signal);
			}
			return fill(event.seq() - 1).concatWith(Mono.fromSupplier(() -> {
				this.handedOn = Math.max(this.handedOn, event.seq());
				return signal;
			}));
		}

		/**
		 * Events after the last handed on up to {@code upTo}, from the log, once for all
		 * local subscribers; a failed read passes nothing (each subscriber then fills the
		 * gap itself).
		 */
		private Flux<Live> fill(long upTo) {
			return replay(this.id, this.handedOn, upTo).map((event) -> {
				this.handedOn = event.seq();
				return new Live(event, 0);
			}).onErrorResume((ex) -> Flux.empty());
		}

		private void handOn(Live signal) {
			for (Shard shard : this.shards) {
				shard.handOn(signal);
			}
		}

	}

}
