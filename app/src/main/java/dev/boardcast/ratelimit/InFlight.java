package dev.boardcast.ratelimit;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Each user's line for this replica's cores: at most {@code running} of a user's GraphQL
 * operations (requests over HTTP, and queries, mutations and the start of subscriptions
 * over graphql-ws) run at once, up to {@code waiting} more wait their turn in order (for
 * at most as long as its {@link Waits} allow, where given), and past that a request is
 * refused. A token bucket bounds how much a user sends per second; this bounds how much
 * of it runs at the same moment, so a client that fires many heavy requests at once slows
 * itself, not the requests of everyone else (which would otherwise share the cores with
 * all of its requests at once). Per replica on purpose: what it protects is this
 * replica's cores.
 */
public final class InFlight {

	private final int running;

	private final int waiting;

	/** How long a request may wait for a place; {@code null}: as long as it takes. */
	private final Waits waits;

	private final ConcurrentHashMap<String, Line> lines = new ConcurrentHashMap<>();

	/**
	 * @param running requests a user may have running at once; 0 or less: no line at all
	 * @param waiting requests of a user that may wait for a place before one is refused
	 */
	public InFlight(int running, int waiting) {
		this(running, waiting, null);
	}

	/**
	 * @param running requests a user may have running at once; 0 or less: no line at all
	 * @param waiting requests of a user that may wait for a place before one is refused
	 * @param waits how long a request may wait for a place before it is refused;
	 * {@code null}: as long as it takes
	 */
	public InFlight(int running, int waiting, Waits waits) {
		this.running = running;
		this.waiting = Math.max(0, waiting);
		this.waits = waits;
	}

	/**
	 * How long a request may wait for a place before it is refused.
	 *
	 * @param max the longest wait
	 * @param timer where the waits are timed
	 */
	public record Waits(Duration max, Scheduler timer) {

		/** Timed on Reactor's parallel scheduler. */
		public Waits(Duration max) {
			this(max, Schedulers.parallel());
		}

	}

	boolean capped() {
		return this.running > 0;
	}

	/**
	 * A place for one request of the user: at once when one is free, after the user's
	 * earlier requests when they all run, or empty when the line is full too or the wait
	 * ran out. The place must be {@linkplain Place#release() released} when the request
	 * ends; a request cancelled while waiting leaves the line by itself.
	 */
	public Mono<Place> acquire(String user) {
		if (!capped()) {
			return Mono.just(noLine);
		}
		return Mono.create((sink) -> {
			Waiter waiter = new Waiter(new Place(user), sink);
			// Cancelled while waiting: leave the line. Cancelled after the place was
			// given but before it was used: give it back (release is idempotent).
			sink.onCancel(() -> {
				if (!leave(user, waiter, false)) {
					waiter.place.release();
				}
			});
			AtomicInteger outcome = new AtomicInteger();
			long now = now();
			this.lines.compute(user, (key, line) -> {
				Line current = (line != null) ? line : new Line();
				if (current.running < this.running) {
					current.running++;
					outcome.set(Waiter.GRANTED);
				}
				else if (current.waiting.size() < this.waiting && !hopeless(current, now)) {
					current.waiting.add(waiter);
					outcome.set(Waiter.WAITING);
				}
				else {
					outcome.set(Waiter.CANCELLED);
				}
				return current.isEmpty() ? null : current;
			});
			switch (outcome.get()) {
				case Waiter.GRANTED -> {
					if (!waiter.grant()) {
						// cancelled before it got here
						waiter.place.release();
					}
				}
				case Waiter.CANCELLED -> sink.success();
				default -> {
					// waits: release() of an earlier request grants it, unless the wait
					// runs out first
					if (this.waits != null) {
						waiter.timeout(this.waits.timer().schedule(() -> {
							if (leave(user, waiter, true)) {
								sink.success();
							}
						}, this.waits.max().toNanos(), TimeUnit.NANOSECONDS));
					}
				}
			}
		});
	}

	/**
	 * Runs {@code work} in the user's line: once the user has a place (given back however
	 * the work ends), or {@code refused} when the line is full or the wait ran out.
	 */
	public <T> Mono<T> run(String user, Supplier<Mono<T>> work, Supplier<Mono<T>> refused) {
		if (!capped()) {
			return work.get();
		}
		return acquire(user).map(Optional::of)
			.defaultIfEmpty(Optional.empty())
			// deferred: work that throws instead of returning a Mono still gives its
			// place back
			.flatMap((place) -> place.isPresent() ? Mono.defer(work).doFinally((signal) -> place.get().release())
					: refused.get());
	}

	/**
	 * Whether a request that would wait on this line should be refused at once: a wait
	 * has run out within the last {@link Waits#max()} (the line is past its capacity),
	 * and at least as many wait already as got a place in the last such span (at least as
	 * many as may run). Then the newcomer would most likely wait out its bound too, so it
	 * is told now instead of holding its request that long. A line that has not
	 * overflowed lately takes every newcomer: a burst on an idle replica waits its turn.
	 */
	private boolean hopeless(Line line, long now) {
		if (this.waits == null) {
			return false;
		}
		long span = this.waits.max().toNanos();
		if (!line.timedOut || now - line.lastTimedOut >= span) {
			return false;
		}
		return line.waiting.size() >= Math.max(line.servedInLastSpan(now, span), this.running);
	}

	private long now() {
		return (this.waits != null) ? this.waits.timer().now(TimeUnit.NANOSECONDS) : 0;
	}

	/**
	 * Takes a waiter out of the user's line, unless it has its place already.
	 * @param timedOut whether its wait ran out (not cancelled by its caller)
	 * @return whether it left (and never gets a place)
	 */
	private boolean leave(String user, Waiter waiter, boolean timedOut) {
		if (!waiter.state.compareAndSet(Waiter.WAITING, Waiter.CANCELLED)) {
			return false;
		}
		waiter.waited();
		long now = timedOut ? now() : 0;
		this.lines.computeIfPresent(user, (key, line) -> {
			line.waiting.remove(waiter);
			if (timedOut) {
				line.timedOut = true;
				line.lastTimedOut = now;
			}
			return line.isEmpty() ? null : line;
		});
		return true;
	}

	/**
	 * Passes a place on to the user's next live waiter, or frees it; the user's entry
	 * goes when nothing of theirs runs or waits.
	 */
	private void release(String user) {
		long now = now();
		boolean[] counted = new boolean[1];
		while (true) {
			Waiter[] next = new Waiter[1];
			this.lines.computeIfPresent(user, (key, line) -> {
				if (this.waits != null && !counted[0]) {
					line.served(now, this.waits.max().toNanos());
					counted[0] = true;
				}
				next[0] = line.waiting.poll();
				if (next[0] == null) {
					line.running--;
				}
				return line.isEmpty() ? null : line;
			});
			// A waiter cancelled since it was polled cannot take the place: the next one
			// can.
			if (next[0] == null || next[0].grant()) {
				return;
			}
		}
	}

	/** Users with requests running or waiting (for tests and metrics). */
	int users() {
		return this.lines.size();
	}

	/** One user's requests: how many run, and who waits (guarded by the map's lock). */
	private static final class Line {

		int running;

		final ArrayDeque<Waiter> waiting = new ArrayDeque<>();

		// With Waits only, on the waits' clock (nanoseconds):

		/** Whether a wait on this line has run out, and when it last did. */
		boolean timedOut;

		long lastTimedOut;

		/** Where the current span of places given back starts. */
		long spanStart;

		/** Places given back in the current span, and in the one before it. */
		int servedNow;

		int servedBefore;

		/** One place given back now. */
		void served(long now, long span) {
			roll(now, span);
			this.servedNow++;
		}

		/** Places given back in the last whole span before now. */
		int servedInLastSpan(long now, long span) {
			roll(now, span);
			return this.servedBefore;
		}

		private void roll(long now, long span) {
			if (now - this.spanStart >= 2 * span) {
				this.servedBefore = 0;
				this.servedNow = 0;
				this.spanStart = now;
			}
			else if (now - this.spanStart >= span) {
				this.servedBefore = this.servedNow;
				this.servedNow = 0;
				this.spanStart += span;
			}
		}

		boolean isEmpty() {
			return this.running <= 0 && this.waiting.isEmpty();
		}

	}

	private static final class Waiter {

		static final int WAITING = 0;

		static final int GRANTED = 1;

		static final int CANCELLED = 2;

		final AtomicInteger state = new AtomicInteger(WAITING);

		final Place place;

		final MonoSink<Place> sink;

		/** The timer of its wait, if any, cancelled once it no longer waits. */
		private volatile Disposable timeout;

		Waiter(Place place, MonoSink<Place> sink) {
			this.place = place;
			this.sink = sink;
		}

		/** Hands the place over, unless the waiter was cancelled. */
		boolean grant() {
			if (!this.state.compareAndSet(WAITING, GRANTED)) {
				return false;
			}
			waited();
			this.sink.success(this.place);
			return true;
		}

		/**
		 * Times its wait (once, after it joined the line); a timer set after the wait
		 * ended is cancelled at once.
		 */
		void timeout(Disposable timer) {
			this.timeout = timer;
			if (this.state.get() != WAITING) {
				timer.dispose();
			}
		}

		/** Its wait is over: no timer is needed. */
		void waited() {
			Disposable timer = this.timeout;
			if (timer != null) {
				timer.dispose();
			}
		}

	}

	/** Without a line: a place that is always there, with nothing to give back. */
	private final Place noLine = new Place(null);

	/** A place in a user's line, held while the request runs. */
	public final class Place {

		private final String user;

		private final AtomicBoolean released = new AtomicBoolean();

		private Place(String user) {
			this.user = user;
		}

		/** Gives the place back (once; later calls do nothing). */
		public void release() {
			if (this.user != null && this.released.compareAndSet(false, true)) {
				InFlight.this.release(this.user);
			}
		}

	}

}
