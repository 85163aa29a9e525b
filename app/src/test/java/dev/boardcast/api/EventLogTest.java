package dev.boardcast.api;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

import dev.boardcast.support.Api;
import dev.boardcast.support.BoardcastTest;
import dev.boardcast.support.Fixtures;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.Readable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.graphql.test.tester.GraphQlTester;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every successful mutation appends exactly one event with the next seq; a failed one
 * appends none.
 */
@BoardcastTest
class EventLogTest {

	@LocalServerPort
	int port;

	@Autowired
	ConnectionFactory connections;

	Api api;

	@BeforeEach
	void setUp() {
		this.api = new Api(this.port);
	}

	@Test
	void everyMutationAppendsExactlyOneEventInSeqOrder() {
		Api.Client alice = this.api.newUser("alice");
		Api.Client bob = this.api.newUser("bob");
		String board = Fixtures.board(alice, "Log");
		Fixtures.member(alice, board, bob, "EDITOR");
		String column = Fixtures.column(alice, board, "Todo");
		String task = Fixtures.task(bob, column, "Hello");
		alice.graphql()
			.documentName("updateTask")
			.variable("input", Map.of("taskId", task, "title", "Hello world"))
			.execute();
		// refused: no event
		alice.graphql()
			.documentName("updateTask")
			.variable("input", Map.of("taskId", task, "title", ""))
			.execute()
			.errors()
			.satisfy((errors) -> assertThat(errors).hasSize(1));
		alice.graphql()
			.document("mutation($i: AddCommentInput!) { addComment(input: $i) { comment { id } } }")
			.variable("i", Map.of("taskId", task, "body", "Nice"))
			.execute();
		GraphQlTester.Response log = alice.graphql().documentName("boardEvents").variable("boardId", board).execute();
		log.path("boardEvents.nodes[*].seq").entityList(Integer.class).containsExactly(1, 2, 3, 4, 5, 6);
		log.path("boardEvents.nodes[*].kind")
			.entityList(String.class)
			.containsExactly("BOARD_CREATED", "MEMBER_ADDED", "COLUMN_CREATED", "TASK_CREATED", "TASK_UPDATED",
					"COMMENT_ADDED");
		log.path("boardEvents.nodes[3].actor.handle").entity(String.class).isEqualTo(bob.handle());
		log.path("boardEvents.nodes[3].task.title").entity(String.class).isEqualTo("Hello");
		log.path("boardEvents.nodes[4].task.title").entity(String.class).isEqualTo("Hello world");
		log.path("boardEvents.nodes[5].comment.body").entity(String.class).isEqualTo("Nice");
		log.path("boardEvents.nodes[5].taskId").entity(String.class).isEqualTo(task);
	}

	@Test
	void eventsArePagedByCursorAndOnlyForMembers() {
		Api.Client alice = this.api.newUser("alice");
		String board = Fixtures.board(alice, "Log");
		String column = Fixtures.column(alice, board, "Todo");
		for (int i = 0; i < 5; i++) {
			Fixtures.task(alice, column, "T" + i);
		}
		GraphQlTester.Response page = alice.graphql()
			.documentName("boardEvents")
			.variable("boardId", board)
			.variable("first", 3)
			.execute();
		page.path("boardEvents.nodes[*].seq").entityList(Integer.class).containsExactly(1, 2, 3);
		String cursor = page.path("boardEvents.pageInfo.endCursor").entity(String.class).get();
		List<Integer> rest = alice.graphql()
			.documentName("boardEvents")
			.variable("boardId", board)
			.variable("after", cursor)
			.execute()
			.path("boardEvents.nodes[*].seq")
			.entityList(Integer.class)
			.get();
		assertThat(rest).containsExactly(4, 5, 6, 7);
		this.api.newUser("mallory")
			.graphql()
			.documentName("boardEvents")
			.variable("boardId", board)
			.execute()
			.errors()
			.satisfy((errors) -> assertThat(errors).singleElement()
				.satisfies((error) -> assertThat(error.getExtensions()).containsEntry("code", "NOT_FOUND")));
	}

	@Test
	void concurrentWritersGetDistinctConsecutiveSeqs() {
		Api.Client alice = this.api.newUser("alice");
		String board = Fixtures.board(alice, "Busy");
		String column = Fixtures.column(alice, board, "Todo");
		java.util.List<Thread> writers = new java.util.ArrayList<>();
		for (int w = 0; w < 8; w++) {
			int writer = w;
			Thread thread = new Thread(() -> {
				for (int i = 0; i < 10; i++) {
					Fixtures.task(alice, column, "w" + writer + "-" + i);
				}
			});
			thread.start();
			writers.add(thread);
		}
		writers.forEach((thread) -> {
			try {
				thread.join();
			}
			catch (InterruptedException ex) {
				throw new IllegalStateException(ex);
			}
		});
		List<Integer> seqs = new java.util.ArrayList<>();
		String after = null;
		do {
			GraphQlTester.Response page = alice.graphql()
				.documentName("boardEvents")
				.variable("boardId", board)
				.variable("after", after)
				.variable("first", 100)
				.execute();
			seqs.addAll(page.path("boardEvents.nodes[*].seq").entityList(Integer.class).get());
			after = page.path("boardEvents.pageInfo.hasNextPage").entity(Boolean.class).get()
					? page.path("boardEvents.pageInfo.endCursor").entity(String.class).get() : null;
		}
		while (after != null);
		assertThat(seqs).hasSize(82).isSorted().doesNotHaveDuplicates();
		assertThat(seqs.get(81)).isEqualTo(82);
		alice.graphql()
			.document("query($id: ID!) { board(id: $id) { tasks(first: 100) { nodes { number } } } }")
			.variable("id", board)
			.execute()
			.path("board.tasks.nodes[*].number")
			.entityList(Integer.class)
			.hasSize(80);
	}

	@Test
	void anEventIsTimedWhenItCommitsNotWhenItsWriterStartedWaiting() {
		Api.Client alice = this.api.newUser("alice");
		String board = Fixtures.board(alice, "Busy");
		String task = Fixtures.task(alice, Fixtures.column(alice, board, "Todo"), "Hello");
		// Another writer holds the board's lock, so the mutation waits for it.
		Connection other = Mono.from(this.connections.create()).block();
		OffsetDateTime released;
		CompletableFuture<?> mutation;
		try {
			Mono.from(other.beginTransaction()).block();
			rows(other, "SELECT id FROM boards WHERE id = '" + UUID.fromString(board) + "' FOR UPDATE", (row) -> 1)
				.blockLast();
			mutation = CompletableFuture.runAsync(() -> alice.graphql()
				.documentName("updateTask")
				.variable("input", Map.of("taskId", task, "title", "Hello world"))
				.execute()
				.path("updateTask.task.title")
				.entity(String.class)
				.isEqualTo("Hello world"));
			long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
			while (rows(other,
					"SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'",
					(row) -> 1)
				.count()
				.block() == 0) {
				assertThat(System.nanoTime()).as("the mutation waits for the board's lock").isLessThan(deadline);
			}
			// the API shows milliseconds: the pause makes a time taken before the wait
			// visibly earlier than one taken after it
			released = rows(other, "SELECT pg_sleep(0.05), clock_timestamp() AS t",
					(row) -> row.get("t", OffsetDateTime.class))
				.blockLast();
			Mono.from(other.commitTransaction()).block();
		}
		finally {
			Mono.from(other.close()).block();
		}
		mutation.join();
		List<String> times = alice.graphql()
			.documentName("boardEvents")
			.variable("boardId", board)
			.execute()
			.path("boardEvents.nodes[*].at")
			.entityList(String.class)
			.get();
		assertThat(OffsetDateTime.parse(times.get(times.size() - 1)))
			.isAfterOrEqualTo(released.truncatedTo(ChronoUnit.MILLIS));
	}

	private static <T> Flux<T> rows(Connection connection, String sql, Function<Readable, T> mapper) {
		return Flux.from(connection.createStatement(sql).execute()).flatMap((result) -> result.map(mapper));
	}

}
