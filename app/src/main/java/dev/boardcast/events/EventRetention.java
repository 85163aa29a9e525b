package dev.boardcast.events;

import java.time.Duration;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.ReactiveTransactionManager;
import org.springframework.transaction.reactive.TransactionalOperator;

/**
 * Prunes events older than the retention window. Every replica schedules it; a
 * transaction-level advisory lock lets one of them run it at a time. A cursor older than
 * what is kept gets CURSOR_EXPIRED.
 */
@Component
class EventRetention {

	private static final Log logger = LogFactory.getLog(EventRetention.class);

	/** Any fixed number: the advisory lock that says "pruning in progress". */
	private static final long LOCK = 0x626f617264L;

	private final DatabaseClient db;

	private final TransactionalOperator tx;

	private final Duration retention;

	EventRetention(DatabaseClient db, ReactiveTransactionManager transactions,
			@Value("${boardcast.events.retention:7d}") Duration retention) {
		this.db = db;
		this.tx = TransactionalOperator.create(transactions);
		this.retention = retention;
	}

	@Scheduled(initialDelayString = "${boardcast.events.prune-initial-delay:1m}",
			fixedDelayString = "${boardcast.events.prune-interval:1h}")
	void prune() {
		prune(this.retention).subscribe((deleted) -> {
			if (deleted > 0) {
				logger.info("Pruned " + deleted + " events older than " + this.retention);
			}
		}, (ex) -> logger.warn("Event pruning failed: " + ex));
	}

	/** Deletes events older than {@code age}; 0 when another replica holds the lock. */
	reactor.core.publisher.Mono<Long> prune(Duration age) {
		return this.tx
			.transactional(
					this.db.sql("SELECT pg_try_advisory_xact_lock(:lock) AS locked")
						.bind("lock", LOCK)
						.map((row) -> row.get("locked", Boolean.class))
						.one()
						.flatMap((locked) -> locked ? this.db
							.sql("DELETE FROM board_events WHERE at < now() - make_interval(secs => :secs)")
							.bind("secs", (double) age.toSeconds())
							.fetch()
							.rowsUpdated() : reactor.core.publisher.Mono.just(0L)));
	}

}
