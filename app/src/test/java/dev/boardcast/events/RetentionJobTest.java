package dev.boardcast.events;

import java.util.Map;

import dev.boardcast.support.Api;
import dev.boardcast.support.BoardcastTest;
import dev.boardcast.support.Fixtures;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.r2dbc.core.DatabaseClient;

import static org.assertj.core.api.Assertions.assertThat;

/** The one pruning job also forgets idempotency keys older than their window (24h). */
@BoardcastTest
class RetentionJobTest {

	@LocalServerPort
	int port;

	@Autowired
	EventRetention retention;

	@Autowired
	DatabaseClient db;

	@Test
	void theRetentionJobPrunesIdempotencyKeysOlderThanTheWindowAndKeepsNewerOnes() {
		Api.Client alice = new Api(this.port).newUser("keeper");
		String board = Fixtures.board(alice, "Keys");
		for (String key : new String[] { "old", "new" }) {
			alice.graphql()
				.document("mutation($i: CreateColumnInput!) { createColumn(input: $i) { column { id } } }")
				.variable("i", Map.of("boardId", board, "name", key, "clientMutationId", key))
				.execute();
		}
		// as if "old" had been used a day and a minute ago
		this.db
			.sql("UPDATE idempotency_keys SET created_at = now() - interval '24 hours 1 minute' "
					+ "WHERE user_id = :user AND client_mutation_id = 'old'")
			.bind("user", java.util.UUID.fromString(alice.id()))
			.fetch()
			.rowsUpdated()
			.block();
		this.retention.pruneAll().block();
		assertThat(this.db.sql("SELECT client_mutation_id FROM idempotency_keys WHERE user_id = :user")
			.bind("user", java.util.UUID.fromString(alice.id()))
			.map((row) -> row.get("client_mutation_id", String.class))
			.all()
			.collectList()
			.block()).containsExactly("new");
	}

}
