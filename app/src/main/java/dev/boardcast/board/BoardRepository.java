package dev.boardcast.board;

import java.time.OffsetDateTime;
import java.util.UUID;

import dev.boardcast.common.PageRequest;
import io.r2dbc.spi.Readable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;

/** SQL for boards and memberships. */
@Repository
class BoardRepository {

	private static final String BOARD = "b.id, b.name, b.description, b.created_by, b.created_at, b.updated_at, "
			+ "b.version, b.event_seq, m.role";

	private final DatabaseClient db;

	BoardRepository(DatabaseClient db) {
		this.db = db;
	}

	static Board board(Readable row) {
		return new Board(row.get("id", UUID.class), row.get("name", String.class), row.get("description", String.class),
				row.get("created_by", UUID.class), row.get("created_at", OffsetDateTime.class),
				row.get("updated_at", OffsetDateTime.class), row.get("version", Integer.class),
				row.get("event_seq", Long.class), BoardRole.valueOf(row.get("role", String.class)));
	}

	static BoardMember member(Readable row) {
		return new BoardMember(row.get("board_id", UUID.class), row.get("user_id", UUID.class),
				BoardRole.valueOf(row.get("role", String.class)), row.get("added_at", OffsetDateTime.class));
	}

	/** The board as {@code userId} sees it; empty unless they are a member. */
	Mono<Board> find(UUID id, UUID userId) {
		return this.db
			.sql("SELECT " + BOARD + " FROM boards b JOIN board_members m ON m.board_id = b.id AND m.user_id = :user "
					+ "WHERE b.id = :id")
			.bind("id", id)
			.bind("user", userId)
			.map(BoardRepository::board)
			.one();
	}

	/** The boards among {@code ids} that {@code userId} is a member of. */
	Flux<Board> findAll(UUID[] ids, UUID userId) {
		return this.db
			.sql("SELECT " + BOARD + " FROM boards b JOIN board_members m ON m.board_id = b.id AND m.user_id = :user "
					+ "WHERE b.id = ANY(:ids)")
			.bind("ids", ids)
			.bind("user", userId)
			.map(BoardRepository::board)
			.all();
	}

	/** A page of the boards {@code userId} is a member of, in membership order. */
	Flux<Listed> findForMember(UUID userId, PageRequest page) {
		String sql = "SELECT " + BOARD + ", m.added_at FROM board_members m JOIN boards b ON b.id = m.board_id "
				+ "WHERE m.user_id = :user "
				+ ((page.after() != null) ? "AND (m.added_at, m.board_id) > (:afterAt, :afterId) " : "")
				+ "ORDER BY m.added_at, m.board_id LIMIT :limit";
		DatabaseClient.GenericExecuteSpec spec = this.db.sql(sql).bind("user", userId).bind("limit", page.limit());
		if (page.after() != null) {
			PageRequest.Keyset keyset = page.keyset();
			spec = spec.bind("afterAt", keyset.at()).bind("afterId", keyset.id());
		}
		return spec.map((row) -> new Listed(board(row), row.get("added_at", OffsetDateTime.class))).all();
	}

	/**
	 * A board in the list of one member's boards, with when they joined it (the list's
	 * order).
	 */
	record Listed(Board board, OffsetDateTime since) {

		String cursor() {
			return PageRequest.cursor("board", this.since + "|" + this.board.id());
		}

	}

	Mono<Board> insert(UUID id, String name, String description, UUID createdBy) {
		return this.db.sql("WITH b AS (INSERT INTO boards (id, name, description, created_by, event_seq) "
				+ "VALUES (:id, :name, :description, :user, 1) RETURNING *), "
				+ "m AS (INSERT INTO board_members (board_id, user_id, role) VALUES (:id, :user, 'OWNER') RETURNING role) "
				+ "SELECT " + BOARD + " FROM b, m")
			.bind("id", id)
			.bind("name", name)
			.bind("description", description)
			.bind("user", createdBy)
			.map(BoardRepository::board)
			.one();
	}

	Mono<Board> update(UUID id, UUID userId, String name, String description) {
		return this.db
			.sql("WITH b AS (UPDATE boards SET name = :name, description = :description, updated_at = now(), "
					+ "version = version + 1 WHERE id = :id RETURNING *) " + "SELECT " + BOARD
					+ " FROM b JOIN board_members m ON m.board_id = b.id AND m.user_id = :user")
			.bind("id", id)
			.bind("user", userId)
			.bind("name", name)
			.bind("description", description)
			.map(BoardRepository::board)
			.one();
	}

	Mono<Long> delete(UUID id) {
		return this.db.sql("DELETE FROM boards WHERE id = :id").bind("id", id).fetch().rowsUpdated();
	}

	Mono<BoardMember> findMember(UUID boardId, UUID userId) {
		return this.db.sql(
				"SELECT board_id, user_id, role, added_at FROM board_members WHERE board_id = :board AND user_id = :user")
			.bind("board", boardId)
			.bind("user", userId)
			.map(BoardRepository::member)
			.one();
	}

	/** Members of several boards, a page each, in one statement. */
	Flux<BoardMember> findMembers(UUID[] boardIds, PageRequest page) {
		String sql = "SELECT board_id, user_id, role, added_at FROM (SELECT m.*, row_number() OVER "
				+ "(PARTITION BY m.board_id ORDER BY m.added_at, m.user_id) AS rn FROM board_members m "
				+ "WHERE m.board_id = ANY(:boards) "
				+ ((page.after() != null) ? "AND (m.added_at, m.user_id) > (:afterAt, :afterId) " : "")
				+ ") x WHERE rn <= :limit ORDER BY board_id, added_at, user_id";
		DatabaseClient.GenericExecuteSpec spec = this.db.sql(sql).bind("boards", boardIds).bind("limit", page.limit());
		if (page.after() != null) {
			PageRequest.Keyset keyset = page.keyset();
			spec = spec.bind("afterAt", keyset.at()).bind("afterId", keyset.id());
		}
		return spec.map(BoardRepository::member).all();
	}

	Mono<BoardMember> insertMember(UUID boardId, UUID userId, BoardRole role) {
		return this.db
			.sql("INSERT INTO board_members (board_id, user_id, role) VALUES (:board, :user, :role) "
					+ "ON CONFLICT DO NOTHING RETURNING board_id, user_id, role, added_at")
			.bind("board", boardId)
			.bind("user", userId)
			.bind("role", role.name())
			.map(BoardRepository::member)
			.one();
	}

	Mono<BoardMember> updateMember(UUID boardId, UUID userId, BoardRole role) {
		return this.db
			.sql("UPDATE board_members SET role = :role WHERE board_id = :board AND user_id = :user "
					+ "RETURNING board_id, user_id, role, added_at")
			.bind("board", boardId)
			.bind("user", userId)
			.bind("role", role.name())
			.map(BoardRepository::member)
			.one();
	}

	/**
	 * Removes a membership and unassigns the member's tasks on that board (assignees are
	 * members).
	 */
	Mono<Long> deleteMember(UUID boardId, UUID userId) {
		return this.db
			.sql("WITH t AS (UPDATE tasks SET assignee_id = NULL, version = version + 1, updated_at = now() "
					+ "WHERE board_id = :board AND assignee_id = :user) "
					+ "DELETE FROM board_members WHERE board_id = :board AND user_id = :user")
			.bind("board", boardId)
			.bind("user", userId)
			.fetch()
			.rowsUpdated();
	}

	Mono<Long> countOwners(UUID boardId) {
		return this.db.sql("SELECT count(*) AS owners FROM board_members WHERE board_id = :board AND role = 'OWNER'")
			.bind("board", boardId)
			.map((row) -> row.get("owners", Long.class))
			.one();
	}

	Mono<BoardRole> role(UUID boardId, UUID userId) {
		return this.db.sql("SELECT role FROM board_members WHERE board_id = :board AND user_id = :user")
			.bind("board", boardId)
			.bind("user", userId)
			.map((row) -> BoardRole.valueOf(row.get("role", String.class)))
			.one();
	}

}
