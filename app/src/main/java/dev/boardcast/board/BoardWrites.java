package dev.boardcast.board;

import java.util.UUID;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;

import dev.boardcast.common.ApiException;
import dev.boardcast.common.ErrorCode;
import dev.boardcast.events.BoardEvent;
import dev.boardcast.events.EventBus;
import dev.boardcast.events.EventLog;
import reactor.core.publisher.Mono;
import reactor.util.function.Tuple2;
import reactor.util.function.Tuples;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.ReactiveTransactionManager;
import org.springframework.transaction.reactive.TransactionalOperator;

/**
 * The one way to change a board (DESIGN.md "Writes"). In one transaction: take the
 * board's next seq (the row lock serializes all writers of a board, so order keys, task
 * numbers and version checks see every earlier write), change the rows, append exactly
 * one event. After commit, publish it. A failure anywhere rolls back everything, the seq
 * included, so the log has no gaps.
 */
@Service
public class BoardWrites {

	private final DatabaseClient db;

	private final TransactionalOperator tx;

	private final EventLog log;

	private final EventBus bus;

	private final IdempotencyKeys keys;

	BoardWrites(DatabaseClient db, ReactiveTransactionManager transactions, EventLog log, EventBus bus,
			IdempotencyKeys keys) {
		this.db = db;
		this.tx = TransactionalOperator.create(transactions);
		this.log = log;
		this.bus = bus;
		this.keys = keys;
	}

	/**
	 * Runs {@code work} as a write of {@code actorId} on the board, which needs at least
	 * {@code minimum}. A non-member gets {@code notFound}, exactly as for a board that
	 * does not exist; a member below {@code minimum} gets FORBIDDEN.
	 */
	public <T> Mono<T> write(UUID boardId, UUID actorId, BoardRole minimum, Supplier<ApiException> notFound,
			Function<WriteContext, Mono<Change<T>>> work) {
		return write(boardId, actorId, minimum, notFound, null, work);
	}

	/**
	 * {@link #write} on the board of a row of another feature (a task, a column...),
	 * found by the statement that takes the board's lock: the caller does not read the
	 * row first to learn its board, which saves a statement (and a pool checkout) per
	 * write. A row that does not exist gets {@code notFound}, as a non-member does.
	 */
	public <T> Mono<T> write(BoardOf board, UUID actorId, BoardRole minimum, Supplier<ApiException> notFound,
			Function<WriteContext, Mono<Change<T>>> work) {
		Mono<Tuple2<Change<T>, BoardEvent>> transaction = lock(board, actorId, minimum, notFound)
			.flatMap((context) -> work.apply(context).flatMap((change) -> complete(context, change, null)));
		return this.tx.transactional(transaction)
			.flatMap((done) -> this.bus.publish(done.getT2()).thenReturn(done.getT1().result()));
	}

	/**
	 * {@link #write} of a create that records its idempotency {@code key} (may be null)
	 * in the same transaction; call it inside {@link #once}.
	 */
	public <T> Mono<T> write(UUID boardId, UUID actorId, BoardRole minimum, Supplier<ApiException> notFound,
			IdempotencyKey key, Function<WriteContext, Mono<Change<T>>> work) {
		Mono<Tuple2<Change<T>, BoardEvent>> transaction = lock(boardId, actorId, minimum, notFound)
			.flatMap((context) -> work.apply(context).flatMap((change) -> complete(context, change, key)));
		return this.tx.transactional(transaction)
			.flatMap((done) -> this.bus.publish(done.getT2()).thenReturn(done.getT1().result()));
	}

	/**
	 * Runs a transaction that creates a board; {@code work} inserts it with seq 1 already
	 * taken. The idempotency {@code key} (may be null) is recorded in the same
	 * transaction; call it inside {@link #once}.
	 */
	public <T> Mono<T> create(UUID boardIdToBe, UUID actorId, IdempotencyKey key,
			Function<WriteContext, Mono<Change<T>>> work) {
		WriteContext context = new WriteContext(boardIdToBe, actorId, 1, BoardRole.OWNER);
		Mono<Tuple2<Change<T>, BoardEvent>> transaction = work.apply(context)
			.flatMap((change) -> complete(context, change, key));
		return this.tx.transactional(transaction)
			.flatMap((done) -> this.bus.publish(done.getT2()).thenReturn(done.getT1().result()));
	}

	/**
	 * Runs a create at most once per idempotency key: with a key that was used within the
	 * window, nothing is created and the answer is what the first request created, as it
	 * is now. The key is recorded by the create's own transaction ({@code create} passes
	 * it to {@link #write} or {@link #create}), so of two concurrent requests with one
	 * key, one commits and the other rolls back on the key and then answers with the
	 * first one's result.
	 * @param key the key, or null to just run {@code create}
	 * @param what the name of what is created, for the error when it is gone
	 * @param current loads what was created (by board and entity id), as it is now
	 * @param create the create
	 */
	public <T> Mono<T> once(IdempotencyKey key, String what, BiFunction<UUID, UUID, Mono<T>> current,
			Supplier<Mono<T>> create) {
		if (key == null) {
			return Mono.defer(create);
		}
		return replay(key, what, current).switchIfEmpty(Mono.defer(create)
			.onErrorResume(KeyTaken.class, (taken) -> replay(key, what, current).switchIfEmpty(Mono.error(taken))));
	}

	private <T> Mono<T> replay(IdempotencyKey key, String what, BiFunction<UUID, UUID, Mono<T>> current) {
		return this.keys.find(key).flatMap((stored) -> {
			if (!stored.sameInput(key)) {
				return Mono.error(ApiException.badInput(IdempotencyKey.FIELD,
						"was already used with a different input (keys are kept for " + this.keys.window() + ")"));
			}
			// Only for a member, like everything on a board; the entity as it is now.
			return this.db.sql("SELECT 1 FROM board_members WHERE board_id = :board AND user_id = :user")
				.bind("board", stored.boardId())
				.bind("user", key.userId())
				.map((row) -> true)
				.one()
				.flatMap((member) -> current.apply(stored.boardId(), stored.entityId()))
				.switchIfEmpty(Mono.error(() -> new Gone(what)));
		});
	}

	private <T> Mono<Tuple2<Change<T>, BoardEvent>> complete(WriteContext context, Change<T> change,
			IdempotencyKey key) {
		Mono<Tuple2<Change<T>, BoardEvent>> appended = append(context, change).map((event) -> Tuples.of(change, event));
		if (key == null) {
			return appended;
		}
		return appended.flatMap((done) -> this.keys.claim(key, context.boardId(), change.entityId())
			.flatMap((claimed) -> claimed ? Mono.just(done) : Mono.error(new KeyTaken())));
	}

	/**
	 * The board's next task number; call only inside {@link #write}, which holds the
	 * board's lock.
	 */
	public Mono<Integer> nextTaskNumber(UUID boardId) {
		return this.db.sql("UPDATE boards SET task_seq = task_seq + 1 WHERE id = :board RETURNING task_seq")
			.bind("board", boardId)
			.map((row) -> row.get("task_seq", Integer.class))
			.one();
	}

	private Mono<BoardEvent> append(WriteContext context, Change<?> change) {
		if (change.kind() == dev.boardcast.events.EventKind.BOARD_DELETED) {
			// The log went with the board; subscribers still hear of it live.
			return Mono.just(this.log.unlogged(context.boardId(), context.seq(), change.kind(), change.entityId(),
					context.actorId()));
		}
		return this.log.append(context.boardId(), context.seq(), change.kind(), change.entityId(), change.taskId(),
				change.state(), context.actorId());
	}

	private Mono<WriteContext> lock(UUID boardId, UUID actorId, BoardRole minimum, Supplier<ApiException> notFound) {
		return this.db
			.sql("UPDATE boards b SET event_seq = b.event_seq + 1 FROM board_members m "
					+ "WHERE b.id = :board AND m.board_id = b.id AND m.user_id = :user AND m.role = ANY(:roles) "
					+ "RETURNING b.event_seq, m.role")
			.bind("board", boardId)
			.bind("user", actorId)
			.bind("roles", minimum.andAbove())
			.map((row) -> new WriteContext(boardId, actorId, row.get("event_seq", Long.class),
					BoardRole.valueOf(row.get("role", String.class))))
			.one()
			.switchIfEmpty(Mono.defer(() -> refusal(":board", "board", boardId, actorId, minimum, notFound)));
	}

	private Mono<WriteContext> lock(BoardOf board, UUID actorId, BoardRole minimum, Supplier<ApiException> notFound) {
		// The board of a row never changes, so reading it in the lock statement's
		// snapshot
		// (taken before any wait for the lock) is safe; the row itself is read by the
		// work,
		// after the lock.
		return this.db
			.sql("UPDATE boards b SET event_seq = b.event_seq + 1 FROM board_members m WHERE b.id = "
					+ board.boardIdQuery() + " AND m.board_id = b.id AND m.user_id = :user AND m.role = ANY(:roles) "
					+ "RETURNING b.id, b.event_seq, m.role")
			.bind("of", board.rowId())
			.bind("user", actorId)
			.bind("roles", minimum.andAbove())
			.map((row) -> new WriteContext(row.get("id", UUID.class), actorId, row.get("event_seq", Long.class),
					BoardRole.valueOf(row.get("role", String.class))))
			.one()
			.switchIfEmpty(
					Mono.defer(() -> refusal(board.boardIdQuery(), "of", board.rowId(), actorId, minimum, notFound)));
	}

	/**
	 * Why the lock statement found nothing: the actor's role is too low (FORBIDDEN), or
	 * they are no member or the board is gone ({@code notFound}).
	 * @param boardId SQL giving the board's id, with its parameter {@code :<parameter>}
	 */
	private Mono<WriteContext> refusal(String boardId, String parameter, UUID value, UUID actorId, BoardRole minimum,
			Supplier<ApiException> notFound) {
		return this.db.sql("SELECT role FROM board_members WHERE board_id = " + boardId + " AND user_id = :user")
			.bind(parameter, value)
			.bind("user", actorId)
			.map((row) -> row.get("role", String.class))
			.one()
			.flatMap((role) -> Mono.<WriteContext>error(
					ApiException.forbidden("This needs the " + minimum + " role on the board; you are " + role)))
			.switchIfEmpty(Mono.error(notFound));
	}

	/**
	 * The idempotency key was recorded by another request first: this transaction rolls
	 * back and the first request's result is the answer.
	 */
	static final class KeyTaken extends RuntimeException {

		KeyTaken() {
			super("idempotency key taken", null, false, false);
		}

	}

	/** A replayed create whose result was deleted since (or is no longer visible). */
	static final class Gone extends ApiException {

		Gone(String what) {
			super(ErrorCode.NOT_FOUND, "The " + what + " created with this clientMutationId no longer exists",
					IdempotencyKey.FIELD, null);
		}

	}

}
