package dev.boardcast.events;

import java.time.OffsetDateTime;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReferenceArray;

import io.r2dbc.postgresql.codec.Json;
import io.r2dbc.spi.Readable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.Parameter;
import org.springframework.stereotype.Service;

/**
 * The per-board event log: appended in the writing transaction, read for paging and
 * replay.
 */
@Service
public class EventLog {

	private static final String COLUMNS = "board_id, seq, kind, entity_id, task_id, payload, actor_id, at";

	private final DatabaseClient db;

	private final JsonMapper json;

	EventLog(DatabaseClient db, JsonMapper json) {
		this.db = db;
		this.json = json;
	}

	/**
	 * Appends one event; must run in the transaction that holds the board's lock for
	 * {@code seq}.
	 */
	public Mono<BoardEvent> append(UUID boardId, long seq, EventKind kind, UUID entityId, UUID taskId, Object state,
			UUID actorId) {
		JsonNode node = (state != null) ? this.json.valueToTree(state) : null;
		// "at" is when the event was committed. The column's default, now(), is the
		// transaction's start, which comes before the wait for the board's lock and the
		// writes; the event row is the transaction's last write, so the clock at this
		// insert is the commit time to within the commit itself (and follows seq order).
		return this.db
			.sql("INSERT INTO board_events (board_id, seq, kind, entity_id, task_id, payload, actor_id, at) "
					+ "VALUES (:board, :seq, :kind, :entity, :task, :payload, :actor, clock_timestamp()) RETURNING at")
			.bind("board", boardId)
			.bind("seq", seq)
			.bind("kind", kind.name())
			.bind("entity", entityId)
			.bind("task", Parameter.fromOrEmpty(taskId, UUID.class))
			.bind("payload", Parameter.fromOrEmpty((node != null) ? Json.of(node.toString()) : null, Json.class))
			.bind("actor", Parameter.fromOrEmpty(actorId, UUID.class))
			.map((row) -> row.get("at", OffsetDateTime.class))
			.one()
			.map((at) -> new BoardEvent(boardId, seq, kind, entityId, taskId, node, actorId, at));
	}

	/** An event that is published but not stored (the board it belongs to is gone). */
	public BoardEvent unlogged(UUID boardId, long seq, EventKind kind, UUID entityId, UUID actorId) {
		return new BoardEvent(boardId, seq, kind, entityId, null, null, actorId, OffsetDateTime.now());
	}

	/** Events of a board with seq greater than {@code afterSeq}, oldest first. */
	public Flux<BoardEvent> after(UUID boardId, long afterSeq, int limit) {
		return this.db
			.sql("SELECT " + COLUMNS
					+ " FROM board_events WHERE board_id = :board AND seq > :after ORDER BY seq LIMIT :limit")
			.bind("board", boardId)
			.bind("after", afterSeq)
			.bind("limit", limit)
			.map(this::map)
			.all();
	}

	/** The oldest retained seq of a board, or empty when its log is empty. */
	public Mono<Long> oldestSeq(UUID boardId) {
		return this.db.sql("SELECT seq FROM board_events WHERE board_id = :board ORDER BY seq LIMIT 1")
			.bind("board", boardId)
			.map((row) -> row.get("seq", Long.class))
			.one();
	}

	private BoardEvent map(Readable row) {
		Json payload = row.get("payload", Json.class);
		return new BoardEvent(row.get("board_id", UUID.class), row.get("seq", Long.class),
				EventKind.valueOf(row.get("kind", String.class)), row.get("entity_id", UUID.class),
				row.get("task_id", UUID.class), (payload != null) ? this.json.readTree(payload.asString()) : null,
				row.get("actor_id", UUID.class), row.get("at", OffsetDateTime.class));
	}

	/**
	 * Reads an event's state as the given record type. A live event reaches every local
	 * subscriber of its board as the same object, so its state is decoded once per
	 * replica: the last decodings are remembered by the identity of the event's own state
	 * node (never by content), and the records they give are immutable.
	 */
	public <T> T state(BoardEvent event, Class<T> type) {
		JsonNode node = event.state();
		if (node == null) {
			return null;
		}
		int slot = System.identityHashCode(node) & (DECODED_SLOTS - 1);
		Decoded hit = this.decoded.get(slot);
		if (hit != null && hit.node() == node && hit.type() == type) {
			return type.cast(hit.value());
		}
		T value = this.json.treeToValue(node, type);
		this.decoded.set(slot, new Decoded(node, type, value));
		return value;
	}

	private static final int DECODED_SLOTS = 64;

	private final AtomicReferenceArray<Decoded> decoded = new AtomicReferenceArray<>(DECODED_SLOTS);

	private record Decoded(JsonNode node, Class<?> type, Object value) {
	}

}
