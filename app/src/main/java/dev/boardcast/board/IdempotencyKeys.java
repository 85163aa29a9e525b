package dev.boardcast.board;

import java.time.Duration;
import java.util.UUID;

import dev.boardcast.common.Expiring;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;

/**
 * The remembered idempotency keys of creates, each for
 * {@code boardcast.idempotency.window} (a key older than that is free again, pruned or
 * not).
 */
@Repository
class IdempotencyKeys implements Expiring {

	/** What a remembered key names: the first request's input and what it created. */
	record Stored(String mutation, String inputHash, UUID boardId, UUID entityId) {

		boolean sameInput(IdempotencyKey key) {
			return this.mutation.equals(key.mutation()) && this.inputHash.equals(key.inputHash());
		}

	}

	private final DatabaseClient db;

	private final Duration window;

	IdempotencyKeys(DatabaseClient db, @Value("${boardcast.idempotency.window:24h}") Duration window) {
		this.db = db;
		this.window = window;
	}

	Duration window() {
		return this.window;
	}

	Mono<Stored> find(IdempotencyKey key) {
		return this.db
			.sql("SELECT mutation, input_hash, board_id, entity_id FROM idempotency_keys "
					+ "WHERE user_id = :user AND client_mutation_id = :key "
					+ "AND created_at > now() - make_interval(secs => :window)")
			.bind("user", key.userId())
			.bind("key", key.clientMutationId())
			.bind("window", seconds(this.window))
			.map((row) -> new Stored(row.get("mutation", String.class), row.get("input_hash", String.class),
					row.get("board_id", UUID.class), row.get("entity_id", UUID.class)))
			.one();
	}

	/**
	 * Records the key for what this transaction creates; false when the key is taken (a
	 * concurrent holder of the key is waited for, and if it commits, the key is taken).
	 * An expired key that was not pruned yet is taken over.
	 */
	Mono<Boolean> claim(IdempotencyKey key, UUID boardId, UUID entityId) {
		return this.db
			.sql("INSERT INTO idempotency_keys (user_id, client_mutation_id, mutation, input_hash, board_id, entity_id) "
					+ "VALUES (:user, :key, :mutation, :hash, :board, :entity) "
					+ "ON CONFLICT (user_id, client_mutation_id) DO UPDATE SET mutation = EXCLUDED.mutation, "
					+ "input_hash = EXCLUDED.input_hash, board_id = EXCLUDED.board_id, entity_id = EXCLUDED.entity_id, "
					+ "created_at = now() "
					+ "WHERE idempotency_keys.created_at <= now() - make_interval(secs => :window) RETURNING user_id")
			.bind("user", key.userId())
			.bind("key", key.clientMutationId())
			.bind("mutation", key.mutation())
			.bind("hash", key.inputHash())
			.bind("board", boardId)
			.bind("entity", entityId)
			.bind("window", seconds(this.window))
			.map((row) -> true)
			.one()
			.defaultIfEmpty(false);
	}

	/** Deletes keys older than {@code age}. */
	Mono<Long> prune(Duration age) {
		return this.db.sql("DELETE FROM idempotency_keys WHERE created_at <= now() - make_interval(secs => :secs)")
			.bind("secs", seconds(age))
			.fetch()
			.rowsUpdated();
	}

	@Override
	public Mono<Long> deleteExpired() {
		return prune(this.window);
	}

	@Override
	public String description() {
		return "idempotency keys older than " + this.window;
	}

	private static double seconds(Duration duration) {
		return duration.toMillis() / 1000.0;
	}

}
