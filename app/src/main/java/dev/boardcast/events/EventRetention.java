package dev.boardcast.events;

import java.time.Duration;
import java.util.List;

import dev.boardcast.common.Expiring;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.ReactiveTransactionManager;
import org.springframework.transaction.reactive.TransactionalOperator;

/**
 * Prunes events older than the retention window, and every other {@link Expiring} kind of
 * row (idempotency keys). Every replica schedules it; a transaction-level advisory lock
 * lets one of them run it at a time. A cursor older than what is kept gets
 * CURSOR_EXPIRED.
 */
@Component
class EventRetention {

	private static final Log logger = LogFactory.getLog(EventRetention.class);

	/** Any fixed number: the advisory lock that says "pruning in progress". */
	private static final long LOCK = 0x626f617264L;

	private final DatabaseClient db;

	private final TransactionalOperator tx;

	private final Duration retention;

	private final List<Expiring> others;

	EventRetention(DatabaseClient db, ReactiveTransactionManager transactions,
			@Value("${boardcast.events.retention:7d}") Duration retention, ObjectProvider<Expiring> others) {
		this.db = db;
		this.tx = TransactionalOperator.create(transactions);
		this.retention = retention;
		this.others = others.orderedStream().toList();
	}

	@Scheduled(initialDelayString = "${boardcast.events.prune-initial-delay:1m}",
			fixedDelayString = "${boardcast.events.prune-interval:1h}")
	void prune() {
		pruneAll().subscribe(null, (ex) -> logger.warn("Pruning failed: " + ex));
	}

	/**
	 * One run of the job: old events, then every other expiring kind of row, in one
	 * transaction that holds the lock (nothing when another replica holds it).
	 */
	Mono<Void> pruneAll() {
		return locked(deleteEvents(this.retention)
			.doOnNext((deleted) -> logPruned(deleted, "events older than " + this.retention))
			.thenMany(Flux.fromIterable(this.others)
				.concatMap((expiring) -> expiring.deleteExpired()
					.doOnNext((deleted) -> logPruned(deleted, expiring.description()))))
			.then(Mono.just(0L))).then();
	}

	private static void logPruned(long deleted, String what) {
		if (deleted > 0) {
			logger.info("Pruned " + deleted + " " + what);
		}
	}

	/** Deletes events older than {@code age}; 0 when another replica holds the lock. */
	Mono<Long> prune(Duration age) {
		return locked(deleteEvents(age));
	}

	private Mono<Long> deleteEvents(Duration age) {
		return this.db.sql("DELETE FROM board_events WHERE at < now() - make_interval(secs => :secs)")
			.bind("secs", (double) age.toSeconds())
			.fetch()
			.rowsUpdated();
	}

	/** Runs {@code work} in a transaction that holds the pruning lock; 0 without it. */
	private Mono<Long> locked(Mono<Long> work) {
		return this.tx.transactional(this.db.sql("SELECT pg_try_advisory_xact_lock(:lock) AS locked")
			.bind("lock", LOCK)
			.map((row) -> row.get("locked", Boolean.class))
			.one()
			.flatMap((locked) -> locked ? work : Mono.just(0L)));
	}

}
