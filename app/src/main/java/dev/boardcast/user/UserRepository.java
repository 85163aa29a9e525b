package dev.boardcast.user;

import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.UUID;

import io.r2dbc.spi.Readable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.Parameter;
import org.springframework.stereotype.Repository;

/** SQL for users. */
@Repository
class UserRepository {

	private static final String COLUMNS = "id, subject, handle, coalesce(display_name, handle) AS display_name, created_at";

	private final DatabaseClient db;

	UserRepository(DatabaseClient db) {
		this.db = db;
	}

	static User map(Readable row) {
		return new User(row.get("id", UUID.class), row.get("subject", String.class), row.get("handle", String.class),
				row.get("display_name", String.class), row.get("created_at", OffsetDateTime.class));
	}

	Mono<UUID> findId(String issuer, String subject) {
		return this.db.sql("SELECT id FROM users WHERE issuer = :issuer AND subject = :subject")
			.bind("issuer", issuer)
			.bind("subject", subject)
			.map((row) -> row.get("id", UUID.class))
			.one();
	}

	/**
	 * Inserts unless the identity or the handle exists already; empty when nothing was
	 * inserted.
	 */
	Mono<User> insert(String issuer, String subject, String handle, String displayName) {
		return this.db
			.sql("INSERT INTO users (issuer, subject, handle, display_name) VALUES (:issuer, :subject, :handle, :name) "
					+ "ON CONFLICT DO NOTHING RETURNING " + COLUMNS)
			.bind("issuer", issuer)
			.bind("subject", subject)
			.bind("handle", handle)
			.bind("name", Parameter.fromOrEmpty(displayName, String.class))
			.map(UserRepository::map)
			.one();
	}

	Mono<User> findById(UUID id) {
		return this.db.sql("SELECT " + COLUMNS + " FROM users WHERE id = :id")
			.bind("id", id)
			.map(UserRepository::map)
			.one();
	}

	Flux<User> findByIds(Collection<UUID> ids) {
		return this.db.sql("SELECT " + COLUMNS + " FROM users WHERE id = ANY(:ids)")
			.bind("ids", ids.toArray(UUID[]::new))
			.map(UserRepository::map)
			.all();
	}

	Mono<User> findByHandle(String handle) {
		return this.db.sql("SELECT " + COLUMNS + " FROM users WHERE lower(handle) = lower(:handle)")
			.bind("handle", handle)
			.map(UserRepository::map)
			.one();
	}

	Mono<User> findByHandle(String issuer, String handle) {
		return this.db
			.sql("SELECT " + COLUMNS + " FROM users WHERE lower(handle) = lower(:handle) AND issuer = :issuer")
			.bind("handle", handle)
			.bind("issuer", issuer)
			.map(UserRepository::map)
			.one();
	}

	/** Updates the given fields (null leaves one as it is). */
	Mono<User> update(UUID id, String handle, String displayName) {
		return this.db
			.sql("UPDATE users SET handle = coalesce(:handle, handle), display_name = coalesce(:name, display_name), "
					+ "version = version + 1 WHERE id = :id RETURNING " + COLUMNS)
			.bind("id", id)
			.bind("handle", Parameter.fromOrEmpty(handle, String.class))
			.bind("name", Parameter.fromOrEmpty(displayName, String.class))
			.map(UserRepository::map)
			.one();
	}

}
