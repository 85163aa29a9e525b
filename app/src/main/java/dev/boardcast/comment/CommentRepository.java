package dev.boardcast.comment;

import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.Map;
import java.util.UUID;

import dev.boardcast.common.PageRequest;
import io.r2dbc.spi.Readable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;

/** SQL for comments. */
@Repository
class CommentRepository {

	private static final String COLUMNS = "id, task_id, board_id, author_id, body, created_at, edited_at, version";

	private final DatabaseClient db;

	CommentRepository(DatabaseClient db) {
		this.db = db;
	}

	static Comment map(Readable row) {
		return new Comment(row.get("id", UUID.class), row.get("task_id", UUID.class), row.get("board_id", UUID.class),
				row.get("author_id", UUID.class), row.get("body", String.class),
				row.get("created_at", OffsetDateTime.class), row.get("edited_at", OffsetDateTime.class),
				row.get("version", Integer.class));
	}

	Mono<Comment> find(UUID id) {
		return this.db.sql("SELECT " + COLUMNS + " FROM comments WHERE id = :id")
			.bind("id", id)
			.map(CommentRepository::map)
			.one();
	}

	/** A page of each task's comments, oldest first, in one statement. */
	Flux<Comment> findByTasks(UUID[] taskIds, PageRequest page) {
		String sql = "SELECT " + COLUMNS + " FROM (SELECT c.*, row_number() OVER (PARTITION BY c.task_id "
				+ "ORDER BY c.created_at, c.id) AS rn FROM comments c WHERE c.task_id = ANY(:tasks) "
				+ ((page.after() != null) ? "AND (c.created_at, c.id) > (:afterAt, :afterId) " : "")
				+ ") x WHERE rn <= :limit ORDER BY task_id, created_at, id";
		DatabaseClient.GenericExecuteSpec spec = this.db.sql(sql).bind("tasks", taskIds).bind("limit", page.limit());
		if (page.after() != null) {
			PageRequest.Keyset keyset = page.keyset();
			spec = spec.bind("afterAt", keyset.at()).bind("afterId", keyset.id());
		}
		return spec.map(CommentRepository::map).all();
	}

	Flux<Map.Entry<UUID, Integer>> countByTasks(Collection<UUID> taskIds) {
		return this.db
			.sql("SELECT task_id, count(*)::int AS n FROM comments WHERE task_id = ANY(:tasks) GROUP BY task_id")
			.bind("tasks", taskIds.toArray(UUID[]::new))
			.map((row) -> Map.entry(row.get("task_id", UUID.class), row.get("n", Integer.class)))
			.all();
	}

	Mono<Comment> insert(UUID id, UUID taskId, UUID boardId, UUID authorId, String body) {
		return this.db.sql(
				"INSERT INTO comments (id, task_id, board_id, author_id, body) VALUES (:id, :task, :board, :author, :body) "
						+ "RETURNING " + COLUMNS)
			.bind("id", id)
			.bind("task", taskId)
			.bind("board", boardId)
			.bind("author", authorId)
			.bind("body", body)
			.map(CommentRepository::map)
			.one();
	}

	Mono<Comment> update(UUID id, String body) {
		return this.db
			.sql("UPDATE comments SET body = :body, edited_at = now(), version = version + 1 WHERE id = :id RETURNING "
					+ COLUMNS)
			.bind("id", id)
			.bind("body", body)
			.map(CommentRepository::map)
			.one();
	}

	Mono<Long> delete(UUID id) {
		return this.db.sql("DELETE FROM comments WHERE id = :id").bind("id", id).fetch().rowsUpdated();
	}

}
