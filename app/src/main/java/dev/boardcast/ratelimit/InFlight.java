package dev.boardcast.ratelimit;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * How many GraphQL requests over HTTP each user has in progress on this replica, capped:
 * a token bucket bounds how many requests a user sends per second, this bounds how many
 * of them take the server's cores at once, so one client's burst of slow queries waits in
 * its own line instead of everyone's. Per replica on purpose: what it protects is this
 * replica's cores.
 */
final class InFlight {

	private final int limit;

	private final ConcurrentHashMap<String, AtomicInteger> running = new ConcurrentHashMap<>();

	/**
	 * @param limit requests a user may have in progress at once; 0 or less: no cap
	 */
	InFlight(int limit) {
		this.limit = limit;
	}

	boolean capped() {
		return this.limit > 0;
	}

	/** Takes a place for the user's request, or answers false when all are taken. */
	boolean tryAcquire(String user) {
		AtomicInteger count = this.running.computeIfAbsent(user, (key) -> new AtomicInteger());
		if (count.incrementAndGet() <= this.limit) {
			return true;
		}
		release(user);
		return false;
	}

	/**
	 * Gives the place back; the user's entry goes when nothing of theirs is in progress.
	 */
	void release(String user) {
		this.running.computeIfPresent(user, (key, count) -> (count.decrementAndGet() <= 0) ? null : count);
	}

	/** Users with requests in progress (for tests and metrics). */
	int users() {
		return this.running.size();
	}

}
