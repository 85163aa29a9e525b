package dev.boardcast.task;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.boardcast.common.PageRequest;
import io.r2dbc.spi.Readable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.Parameter;
import org.springframework.stereotype.Repository;

/** SQL for tasks. */
@Repository
class TaskRepository {

	/**
	 * A task's columns, in the order {@link #map} reads them: every statement that maps a
	 * task selects these first.
	 */
	static final String COLUMNS = "id, board_id, column_id, number, position, title, description, assignee_id, label_ids, "
			+ "due_date, priority, created_by, created_at, updated_at, completed_at, version";

	/** {@link #COLUMNS} of the table aliased {@code t}. */
	private static final String T_COLUMNS = "t." + COLUMNS.replace(", ", ", t.");

	private final DatabaseClient db;

	TaskRepository(DatabaseClient db) {
		this.db = db;
	}

	/**
	 * A task from a row that starts with {@link #COLUMNS}, read by position: by name,
	 * each of a board read's 3,000 values was a lookup in the row's names.
	 */
	static Task map(Readable row) {
		UUID[] labels = row.get(8, UUID[].class);
		return new Task(row.get(0, UUID.class), row.get(1, UUID.class), row.get(2, UUID.class),
				row.get(3, Integer.class), row.get(4, String.class), row.get(5, String.class), row.get(6, String.class),
				row.get(7, UUID.class), (labels != null) ? Arrays.asList(labels) : List.of(),
				row.get(9, LocalDate.class), TaskPriority.valueOf(row.get(10, String.class)), row.get(11, UUID.class),
				row.get(12, OffsetDateTime.class), row.get(13, OffsetDateTime.class), row.get(14, OffsetDateTime.class),
				row.get(15, Integer.class));
	}

	Mono<Task> find(UUID id) {
		return this.db.sql("SELECT " + COLUMNS + " FROM tasks WHERE id = :id")
			.bind("id", id)
			.map(TaskRepository::map)
			.one();
	}

	/** The task, only if {@code userId} is a member of its board. */
	Mono<Task> findVisible(UUID id, UUID userId) {
		return this.db
			.sql("SELECT " + T_COLUMNS
					+ " FROM tasks t JOIN board_members m ON m.board_id = t.board_id AND m.user_id = :user "
					+ "WHERE t.id = :id")
			.bind("id", id)
			.bind("user", userId)
			.map(TaskRepository::map)
			.one();
	}

	Flux<Task> findByIds(Collection<UUID> ids) {
		return this.db.sql("SELECT " + COLUMNS + " FROM tasks WHERE id = ANY(:ids)")
			.bind("ids", ids.toArray(UUID[]::new))
			.map(TaskRepository::map)
			.all();
	}

	/** A page of each column's tasks in column order, all in one statement. */
	Flux<Task> findByColumns(UUID[] columnIds, PageRequest page) {
		String sql = "SELECT " + COLUMNS + " FROM (SELECT t.*, row_number() OVER (PARTITION BY t.column_id "
				+ "ORDER BY t.position) AS rn FROM tasks t WHERE t.column_id = ANY(:columns) "
				+ ((page.after() != null) ? "AND t.position > :after " : "")
				+ ") x WHERE rn <= :limit ORDER BY column_id, position";
		DatabaseClient.GenericExecuteSpec spec = this.db.sql(sql)
			.bind("columns", columnIds)
			.bind("limit", page.limit());
		if (page.after() != null) {
			spec = spec.bind("after", page.after());
		}
		return spec.map(TaskRepository::map).all();
	}

	Flux<Map.Entry<UUID, Integer>> countByColumns(Collection<UUID> columnIds) {
		return this.db
			.sql("SELECT column_id, count(*)::int AS n FROM tasks WHERE column_id = ANY(:columns) GROUP BY column_id")
			.bind("columns", columnIds.toArray(UUID[]::new))
			.map((row) -> Map.entry(row.get("column_id", UUID.class), row.get("n", Integer.class)))
			.all();
	}

	/** Tasks of a board matching a filter, by number. */
	Flux<Task> search(UUID boardId, TaskSearch search, PageRequest page) {
		StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM tasks WHERE board_id = :board");
		if (search.columnId() != null) {
			sql.append(" AND column_id = :column");
		}
		if (search.assigneeId() != null) {
			sql.append(" AND assignee_id = :assignee");
		}
		if (!search.labelIds().isEmpty()) {
			sql.append(" AND label_ids @> :labels");
		}
		if (search.dueBefore() != null) {
			sql.append(" AND due_date <= :dueBefore");
		}
		if (search.dueAfter() != null) {
			sql.append(" AND due_date >= :dueAfter");
		}
		if (search.text() != null) {
			// the expression of the trigram index tasks_text_idx
			sql.append(" AND (title || ' ' || description) ILIKE :text");
		}
		if (page.after() != null) {
			sql.append(" AND number > :after");
		}
		sql.append(" ORDER BY number LIMIT :limit");
		DatabaseClient.GenericExecuteSpec spec = this.db.sql(sql.toString())
			.bind("board", boardId)
			.bind("limit", page.limit());
		if (search.columnId() != null) {
			spec = spec.bind("column", search.columnId());
		}
		if (search.assigneeId() != null) {
			spec = spec.bind("assignee", search.assigneeId());
		}
		if (!search.labelIds().isEmpty()) {
			spec = spec.bind("labels", search.labelIds().toArray(UUID[]::new));
		}
		if (search.dueBefore() != null) {
			spec = spec.bind("dueBefore", search.dueBefore());
		}
		if (search.dueAfter() != null) {
			spec = spec.bind("dueAfter", search.dueAfter());
		}
		if (search.text() != null) {
			spec = spec.bind("text",
					"%" + search.text().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%");
		}
		if (page.after() != null) {
			spec = spec.bind("after", Integer.parseInt(page.after()));
		}
		return spec.map(TaskRepository::map).all();
	}

	Mono<Long> countInColumn(UUID columnId) {
		return this.db.sql("SELECT count(*) AS n FROM tasks WHERE column_id = :column")
			.bind("column", columnId)
			.map((row) -> row.get("n", Long.class))
			.one();
	}

	/**
	 * Everything a move reads under the board's lock, in one statement: the task, the
	 * target column ({@code column}, or the task's own when null), the named neighbours,
	 * and the key next to the one neighbour named (or the column's last key when none
	 * is), other than the task's. Empty when the task does not exist.
	 */
	Mono<MoveSite> moveSite(UUID id, UUID column, UUID after, UUID before) {
		DatabaseClient.GenericExecuteSpec spec = this.db
			.sql(MOVE_SITES[((column != null) ? 4 : 0) + ((after != null) ? 2 : 0) + ((before != null) ? 1 : 0)])
			.bind("id", id);
		if (column != null) {
			spec = spec.bind("column", column);
		}
		if (after != null) {
			spec = spec.bind("after", after);
		}
		if (before != null) {
			spec = spec.bind("before", before);
		}
		return spec
			.map((row) -> new MoveSite(map(row), row.get("c_id", UUID.class), row.get("c_board_id", UUID.class),
					Boolean.TRUE.equals(row.get("c_is_done", Boolean.class)),
					(after != null) ? row.get("a_column_id", UUID.class) : null,
					(after != null) ? row.get("a_position", String.class) : null,
					(before != null) ? row.get("b_column_id", UUID.class) : null,
					(before != null) ? row.get("b_position", String.class) : null,
					(after == null || before == null) ? row.get("adjacent", String.class) : null))
			.one();
	}

	/**
	 * {@link #moveSite} by whether a column, an afterId and a beforeId are named (bits 4,
	 * 2, 1): one statement text per shape, so each is prepared once and binds no nulls.
	 * The target column is the columns feature's row, joined here to save a statement.
	 */
	private static final String[] MOVE_SITES = new String[8];

	static {
		for (int shape = 0; shape < 8; shape++) {
			boolean column = (shape & 4) != 0;
			boolean after = (shape & 2) != 0;
			boolean before = (shape & 1) != 0;
			StringBuilder sql = new StringBuilder("SELECT ").append(T_COLUMNS)
				.append(", c.id AS c_id, c.board_id AS c_board_id, c.is_done AS c_is_done");
			if (after) {
				sql.append(", a.column_id AS a_column_id, a.position AS a_position");
			}
			if (before) {
				sql.append(", b.column_id AS b_column_id, b.position AS b_position");
			}
			if (after && !before) {
				sql.append(", (SELECT x.position FROM tasks x WHERE x.column_id = c.id AND x.position > a.position "
						+ "AND x.id <> t.id ORDER BY x.position LIMIT 1) AS adjacent");
			}
			else if (before && !after) {
				sql.append(", (SELECT x.position FROM tasks x WHERE x.column_id = c.id AND x.position < b.position "
						+ "AND x.id <> t.id ORDER BY x.position DESC LIMIT 1) AS adjacent");
			}
			else if (!after) {
				sql.append(", (SELECT x.position FROM tasks x WHERE x.column_id = c.id AND x.id <> t.id "
						+ "ORDER BY x.position DESC LIMIT 1) AS adjacent");
			}
			sql.append(" FROM tasks t LEFT JOIN columns c ON c.id = ").append(column ? ":column" : "t.column_id");
			if (after) {
				sql.append(" LEFT JOIN tasks a ON a.id = :after");
			}
			if (before) {
				sql.append(" LEFT JOIN tasks b ON b.id = :before");
			}
			MOVE_SITES[shape] = sql.append(" WHERE t.id = :id").toString();
		}
	}

	Mono<String> nextPosition(UUID columnId, String after, UUID self) {
		return this.db
			.sql("SELECT position FROM tasks WHERE column_id = :column AND position > :p AND id <> :self "
					+ "ORDER BY position LIMIT 1")
			.bind("column", columnId)
			.bind("p", after)
			.bind("self", self)
			.map((row) -> row.get("position", String.class))
			.one();
	}

	Mono<String> previousPosition(UUID columnId, String before, UUID self) {
		return this.db
			.sql("SELECT position FROM tasks WHERE column_id = :column AND position < :p AND id <> :self "
					+ "ORDER BY position DESC LIMIT 1")
			.bind("column", columnId)
			.bind("p", before)
			.bind("self", self)
			.map((row) -> row.get("position", String.class))
			.one();
	}

	Mono<String> lastPosition(UUID columnId, UUID self) {
		return this.db
			.sql("SELECT position FROM tasks WHERE column_id = :column AND id <> :self ORDER BY position DESC LIMIT 1")
			.bind("column", columnId)
			.bind("self", self)
			.map((row) -> row.get("position", String.class))
			.one();
	}

	Mono<Task> insert(Task task) {
		return this.db
			.sql("INSERT INTO tasks (id, board_id, column_id, number, position, title, description, assignee_id, "
					+ "label_ids, due_date, priority, created_by, completed_at) VALUES (:id, :board, :column, :number, "
					+ ":position, :title, :description, :assignee, :labels, :due, :priority, :createdBy, "
					+ "CASE WHEN :done THEN now() END) RETURNING " + COLUMNS)
			.bind("id", task.id())
			.bind("board", task.boardId())
			.bind("column", task.columnId())
			.bind("number", task.number())
			.bind("position", task.position())
			.bind("title", task.title())
			.bind("description", task.description())
			.bind("assignee", Parameter.fromOrEmpty(task.assigneeId(), UUID.class))
			.bind("labels", task.labelIds().toArray(UUID[]::new))
			.bind("due", Parameter.fromOrEmpty(task.dueDate(), LocalDate.class))
			.bind("priority", task.priority().name())
			.bind("createdBy", task.createdById())
			.bind("done", task.completedAt() != null)
			.map(TaskRepository::map)
			.one();
	}

	Mono<Task> update(Task task) {
		return this.db
			.sql("UPDATE tasks SET title = :title, description = :description, assignee_id = :assignee, "
					+ "label_ids = :labels, due_date = :due, priority = :priority, updated_at = now(), "
					+ "version = version + 1 WHERE id = :id RETURNING " + COLUMNS)
			.bind("id", task.id())
			.bind("title", task.title())
			.bind("description", task.description())
			.bind("assignee", Parameter.fromOrEmpty(task.assigneeId(), UUID.class))
			.bind("labels", task.labelIds().toArray(UUID[]::new))
			.bind("due", Parameter.fromOrEmpty(task.dueDate(), LocalDate.class))
			.bind("priority", task.priority().name())
			.map(TaskRepository::map)
			.one();
	}

	/**
	 * Moves a task; entering a done column sets completed_at (kept if it was done),
	 * leaving one clears it.
	 */
	Mono<Task> move(UUID id, UUID columnId, String position, boolean intoDone) {
		return this.db
			.sql("UPDATE tasks SET column_id = :column, position = :position, "
					+ "completed_at = CASE WHEN :done THEN coalesce(completed_at, now()) END, "
					+ "updated_at = now(), version = version + 1 WHERE id = :id RETURNING " + COLUMNS)
			.bind("id", id)
			.bind("column", columnId)
			.bind("position", position)
			.bind("done", intoDone)
			.map(TaskRepository::map)
			.one();
	}

	Flux<UUID> idsInColumn(UUID columnId) {
		return this.db.sql("SELECT id FROM tasks WHERE column_id = :column ORDER BY position")
			.bind("column", columnId)
			.map((row) -> row.get("id", UUID.class))
			.all();
	}

	/** Moves tasks to new positions of another column in one statement. */
	Mono<Long> moveAll(UUID[] ids, String[] positions, UUID columnId, boolean intoDone) {
		return this.db.sql("UPDATE tasks t SET column_id = :column, position = v.position, "
				+ "completed_at = CASE WHEN :done THEN coalesce(t.completed_at, now()) END, "
				+ "updated_at = now(), version = t.version + 1 "
				+ "FROM unnest(CAST(:ids AS uuid[]), CAST(:positions AS text[])) AS v(id, position) WHERE t.id = v.id")
			.bind("column", columnId)
			.bind("done", intoDone)
			.bind("ids", ids)
			.bind("positions", positions)
			.fetch()
			.rowsUpdated();
	}

	Mono<Long> delete(UUID id) {
		return this.db.sql("DELETE FROM tasks WHERE id = :id").bind("id", id).fetch().rowsUpdated();
	}

	Mono<Long> stripLabel(UUID boardId, UUID labelId) {
		return this.db.sql(
				"UPDATE tasks SET label_ids = array_remove(label_ids, :label), updated_at = now(), version = version + 1 "
						+ "WHERE board_id = :board AND label_ids @> ARRAY[:label]::uuid[]")
			.bind("board", boardId)
			.bind("label", labelId)
			.fetch()
			.rowsUpdated();
	}

}
