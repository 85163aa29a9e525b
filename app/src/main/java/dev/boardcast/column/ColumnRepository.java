package dev.boardcast.column;

import java.util.Collection;
import java.util.UUID;

import io.r2dbc.spi.Readable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.Parameter;
import org.springframework.stereotype.Repository;

/** SQL for columns. */
@Repository
class ColumnRepository {

	private static final String COLUMNS = "id, board_id, name, position, is_done, wip_limit, version";

	private final DatabaseClient db;

	ColumnRepository(DatabaseClient db) {
		this.db = db;
	}

	static Column map(Readable row) {
		return new Column(row.get("id", UUID.class), row.get("board_id", UUID.class), row.get("name", String.class),
				row.get("position", String.class), row.get("is_done", Boolean.class),
				row.get("wip_limit", Integer.class), row.get("version", Integer.class));
	}

	Mono<Column> find(UUID id) {
		return this.db.sql("SELECT " + COLUMNS + " FROM columns WHERE id = :id")
			.bind("id", id)
			.map(ColumnRepository::map)
			.one();
	}

	Flux<Column> findByBoards(Collection<UUID> boardIds) {
		return this.db
			.sql("SELECT " + COLUMNS + " FROM columns WHERE board_id = ANY(:boards) ORDER BY board_id, position")
			.bind("boards", boardIds.toArray(UUID[]::new))
			.map(ColumnRepository::map)
			.all();
	}

	Flux<Column> findByIds(Collection<UUID> ids) {
		return this.db.sql("SELECT " + COLUMNS + " FROM columns WHERE id = ANY(:ids)")
			.bind("ids", ids.toArray(UUID[]::new))
			.map(ColumnRepository::map)
			.all();
	}

	Mono<Long> count(UUID boardId) {
		return this.db.sql("SELECT count(*) AS n FROM columns WHERE board_id = :board")
			.bind("board", boardId)
			.map((row) -> row.get("n", Long.class))
			.one();
	}

	Mono<String> nextPosition(UUID boardId, String after, UUID self) {
		return this.db
			.sql("SELECT position FROM columns WHERE board_id = :board AND position > :p AND id <> :self "
					+ "ORDER BY position LIMIT 1")
			.bind("board", boardId)
			.bind("p", after)
			.bind("self", self)
			.map((row) -> row.get("position", String.class))
			.one();
	}

	Mono<String> previousPosition(UUID boardId, String before, UUID self) {
		return this.db
			.sql("SELECT position FROM columns WHERE board_id = :board AND position < :p AND id <> :self "
					+ "ORDER BY position DESC LIMIT 1")
			.bind("board", boardId)
			.bind("p", before)
			.bind("self", self)
			.map((row) -> row.get("position", String.class))
			.one();
	}

	Mono<String> lastPosition(UUID boardId, UUID self) {
		return this.db
			.sql("SELECT position FROM columns WHERE board_id = :board AND id <> :self ORDER BY position DESC LIMIT 1")
			.bind("board", boardId)
			.bind("self", self)
			.map((row) -> row.get("position", String.class))
			.one();
	}

	Mono<Column> insert(UUID id, UUID boardId, String name, String position, boolean isDone, Integer wipLimit) {
		return this.db
			.sql("INSERT INTO columns (id, board_id, name, position, is_done, wip_limit) "
					+ "VALUES (:id, :board, :name, :position, :done, :wip) RETURNING " + COLUMNS)
			.bind("id", id)
			.bind("board", boardId)
			.bind("name", name)
			.bind("position", position)
			.bind("done", isDone)
			.bind("wip", Parameter.fromOrEmpty(wipLimit, Integer.class))
			.map(ColumnRepository::map)
			.one();
	}

	Mono<Column> update(UUID id, String name, boolean isDone, Integer wipLimit) {
		return this.db
			.sql("UPDATE columns SET name = :name, is_done = :done, wip_limit = :wip, version = version + 1 "
					+ "WHERE id = :id RETURNING " + COLUMNS)
			.bind("id", id)
			.bind("name", name)
			.bind("done", isDone)
			.bind("wip", Parameter.fromOrEmpty(wipLimit, Integer.class))
			.map(ColumnRepository::map)
			.one();
	}

	Mono<Column> move(UUID id, String position) {
		return this.db
			.sql("UPDATE columns SET position = :position, version = version + 1 WHERE id = :id RETURNING " + COLUMNS)
			.bind("id", id)
			.bind("position", position)
			.map(ColumnRepository::map)
			.one();
	}

	Mono<Long> delete(UUID id) {
		return this.db.sql("DELETE FROM columns WHERE id = :id").bind("id", id).fetch().rowsUpdated();
	}

}
