package dev.boardcast.common;

import reactor.core.publisher.Mono;

/**
 * Rows kept for a while. The retention job ({@code events.EventRetention}) deletes the
 * expired ones together with old events, one replica at a time.
 */
public interface Expiring {

	/** Deletes what has expired; runs inside the retention job's transaction. */
	Mono<Long> deleteExpired();

	/** What the rows are, for the log. */
	String description();

}
