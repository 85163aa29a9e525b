package dev.boardcast.label;

import java.util.Collection;
import java.util.UUID;

import io.r2dbc.spi.Readable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;

/** SQL for labels. */
@Repository
class LabelRepository {

	private static final String COLUMNS = "id, board_id, name, color, version";

	private final DatabaseClient db;

	LabelRepository(DatabaseClient db) {
		this.db = db;
	}

	static Label map(Readable row) {
		return new Label(row.get("id", UUID.class), row.get("board_id", UUID.class), row.get("name", String.class),
				row.get("color", String.class), row.get("version", Integer.class));
	}

	Mono<Label> find(UUID id) {
		return this.db.sql("SELECT " + COLUMNS + " FROM labels WHERE id = :id")
			.bind("id", id)
			.map(LabelRepository::map)
			.one();
	}

	Flux<Label> findByBoards(Collection<UUID> boardIds) {
		return this.db
			.sql("SELECT " + COLUMNS + " FROM labels WHERE board_id = ANY(:boards) ORDER BY board_id, lower(name)")
			.bind("boards", boardIds.toArray(UUID[]::new))
			.map(LabelRepository::map)
			.all();
	}

	Flux<Label> findByIds(Collection<UUID> ids) {
		return this.db.sql("SELECT " + COLUMNS + " FROM labels WHERE id = ANY(:ids)")
			.bind("ids", ids.toArray(UUID[]::new))
			.map(LabelRepository::map)
			.all();
	}

	Mono<Long> count(UUID boardId) {
		return this.db.sql("SELECT count(*) AS n FROM labels WHERE board_id = :board")
			.bind("board", boardId)
			.map((row) -> row.get("n", Long.class))
			.one();
	}

	/** Empty when the name is taken on the board. */
	Mono<Label> insert(UUID id, UUID boardId, String name, String color) {
		return this.db
			.sql("INSERT INTO labels (id, board_id, name, color) VALUES (:id, :board, :name, :color) "
					+ "ON CONFLICT DO NOTHING RETURNING " + COLUMNS)
			.bind("id", id)
			.bind("board", boardId)
			.bind("name", name)
			.bind("color", color)
			.map(LabelRepository::map)
			.one();
	}

	Mono<Label> update(UUID id, String name, String color) {
		return this.db
			.sql("UPDATE labels SET name = :name, color = :color, version = version + 1 WHERE id = :id RETURNING "
					+ COLUMNS)
			.bind("id", id)
			.bind("name", name)
			.bind("color", color)
			.map(LabelRepository::map)
			.one();
	}

	Mono<Boolean> nameTaken(UUID boardId, String name, UUID except) {
		return this.db.sql(
				"SELECT EXISTS (SELECT 1 FROM labels WHERE board_id = :board AND lower(name) = lower(:name) AND id <> :id) AS taken")
			.bind("board", boardId)
			.bind("name", name)
			.bind("id", except)
			.map((row) -> row.get("taken", Boolean.class))
			.one();
	}

	Mono<Long> delete(UUID id) {
		return this.db.sql("DELETE FROM labels WHERE id = :id").bind("id", id).fetch().rowsUpdated();
	}

}
