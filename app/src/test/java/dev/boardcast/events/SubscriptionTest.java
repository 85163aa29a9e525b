package dev.boardcast.events;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.boardcast.BoardcastApplication;
import dev.boardcast.support.Api;
import dev.boardcast.support.BoardcastTest;
import dev.boardcast.support.Fixtures;
import dev.boardcast.support.WsClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.io.ClassPathResource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Live events over graphql-ws with two replicas (the test context is A, a second app on
 * the same PostgreSQL and Redis is B): every event, in order, exactly once, across
 * replicas and reconnects.
 */
@BoardcastTest
class SubscriptionTest {

	static final String BOARD_CHANGED = read("graphql-test/boardChanged.graphql");

	static ConfigurableApplicationContext replicaB;

	@LocalServerPort
	int portA;

	int portB;

	Api a;

	Api b;

	@BeforeAll
	static void startReplicaB() {
		replicaB = new SpringApplicationBuilder(BoardcastApplication.class).run("--server.port=0");
	}

	@AfterAll
	static void stopReplicaB() {
		if (replicaB != null) {
			replicaB.close();
		}
	}

	@BeforeEach
	void setUp() {
		this.portB = ((WebServerApplicationContext) replicaB).getWebServer().getPort();
		this.a = new Api(this.portA);
		this.b = new Api(this.portB);
	}

	static String read(String path) {
		try {
			return new ClassPathResource(path).getContentAsString(StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	@SuppressWarnings("unchecked")
	static Map<String, Object> event(Map<String, Object> message) {
		assertThat(message).containsEntry("type", "next");
		Map<String, Object> payload = (Map<String, Object>) message.get("payload");
		assertThat(payload).doesNotContainKey("errors");
		Map<String, Object> data = (Map<String, Object>) payload.get("data");
		return (Map<String, Object>) data.values().iterator().next();
	}

	static int seq(Map<String, Object> message) {
		return ((Number) event(message).get("seq")).intValue();
	}

	@SuppressWarnings("unchecked")
	static String errorCode(Map<String, Object> message) {
		if ("error".equals(message.get("type"))) {
			List<Map<String, Object>> errors = (List<Map<String, Object>>) message.get("payload");
			return (String) ((Map<String, Object>) errors.get(0).get("extensions")).get("code");
		}
		Map<String, Object> payload = (Map<String, Object>) message.get("payload");
		List<Map<String, Object>> errors = (List<Map<String, Object>>) payload.get("errors");
		assertThat(errors).as("errors in " + message).isNotEmpty();
		return (String) ((Map<String, Object>) errors.get(0).get("extensions")).get("code");
	}

	/**
	 * The cursor of the board's latest event, as a client has it after loading the board:
	 * a subscription without a cursor starts at whatever is latest when the server
	 * registers it, which may be after a mutation the test sends right away.
	 */
	static String latestCursor(Api.Client client, String boardId) {
		List<String> cursors = client.graphql()
			.document("query($b: ID!) { boardEvents(boardId: $b, first: 100) { nodes { cursor } } }")
			.variable("b", boardId)
			.execute()
			.path("boardEvents.nodes[*].cursor")
			.entityList(String.class)
			.get();
		return cursors.get(cursors.size() - 1);
	}

	static Map<String, Object> vars(String boardId, String after) {
		Map<String, Object> variables = new HashMap<>();
		variables.put("boardId", boardId);
		variables.put("after", after);
		return variables;
	}

	/**
	 * Reads {@code count} events and checks they are exactly {@code from}, from+1, ...
	 */
	static List<Map<String, Object>> expectSeqs(WsClient client, int from, int count) {
		List<Map<String, Object>> events = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			Map<String, Object> message = client.next();
			assertThat(seq(message)).as("event %d of %d", i + 1, count).isEqualTo(from + i);
			events.add(event(message));
		}
		return events;
	}

	@Test
	void subscribeOnOneReplicaMutateOnTheOtherAndTheEventArrives() {
		Api.Client alice = this.a.newUser("alice");
		String board = Fixtures.board(alice, "Live");
		try (WsClient client = WsClient.connect(this.portA).init(alice.token())) {
			client.subscribe("1", BOARD_CHANGED, vars(board, latestCursor(alice, board)));
			Api.Client aliceOnB = this.b.signIn(alice.handle());
			String column = Fixtures.column(aliceOnB, board, "Todo");
			Fixtures.task(aliceOnB, column, "Made on B");
			List<Map<String, Object>> events = expectSeqs(client, 2, 2);
			assertThat(events.get(0)).containsEntry("kind", "COLUMN_CREATED");
			assertThat(events.get(1)).containsEntry("kind", "TASK_CREATED");
			@SuppressWarnings("unchecked")
			Map<String, Object> task = (Map<String, Object>) events.get(1).get("task");
			assertThat(task).containsEntry("title", "Made on B");
			assertThat(task.get("column")).isEqualTo(Map.of("name", "Todo"));
		}
	}

	@Test
	void aThousandMutationsArriveExactlyOnceInOrderOnBothReplicas() {
		Api.Client alice = this.a.newUser("alice");
		String board = Fixtures.board(alice, "Busy");
		String column = Fixtures.column(alice, board, "Todo");
		try (WsClient onA = WsClient.connect(this.portA).init(alice.token());
				WsClient onB = WsClient.connect(this.portB).init(alice.token())) {
			onA.subscribe("a", BOARD_CHANGED, vars(board, latestCursor(alice, board)));
			onB.subscribe("b", BOARD_CHANGED, vars(board, latestCursor(alice, board)));
			String task = Fixtures.task(alice, column, "Mover");
			expectSeqs(onA, 3, 1);
			expectSeqs(onB, 3, 1);
			Api.Client aliceOnB = this.b.signIn(alice.handle());
			List<Thread> writers = new ArrayList<>();
			for (Api.Client writer : List.of(alice, aliceOnB)) {
				Thread thread = new Thread(() -> {
					for (int i = 0; i < 500; i++) {
						writer.graphql()
							.documentName("updateTask")
							.variable("input", Map.of("taskId", task, "title", "title " + i))
							.execute()
							.path("updateTask.task.id")
							.hasValue();
					}
				});
				thread.start();
				writers.add(thread);
			}
			List<Map<String, Object>> seenOnA = expectSeqs(onA, 4, 1000);
			expectSeqs(onB, 4, 1000);
			assertThat(seenOnA).allSatisfy((event) -> assertThat(event).containsEntry("kind", "TASK_UPDATED"));
			writers.forEach(SubscriptionTest::join);
			assertThat(onA.poll(Duration.ofMillis(500))).isNull();
			assertThat(onB.poll(Duration.ofMillis(100))).isNull();
		}
	}

	static void join(Thread thread) {
		try {
			thread.join();
		}
		catch (InterruptedException ex) {
			throw new IllegalStateException(ex);
		}
	}

	@Test
	void aClientResumesFromItsCursorOnTheOtherReplicaWithExactlyWhatItMissed() {
		Api.Client alice = this.a.newUser("alice");
		String board = Fixtures.board(alice, "Resume");
		String column = Fixtures.column(alice, board, "Todo");
		String cursor;
		try (WsClient first = WsClient.connect(this.portA).init(alice.token())) {
			first.subscribe("1", BOARD_CHANGED, vars(board, latestCursor(alice, board)));
			Fixtures.task(alice, column, "seen");
			cursor = (String) expectSeqs(first, 3, 1).get(0).get("cursor");
		}
		for (int i = 0; i < 50; i++) {
			Fixtures.task(alice, column, "missed " + i);
		}
		try (WsClient again = WsClient.connect(this.portB).init(alice.token())) {
			again.subscribe("1", BOARD_CHANGED, vars(board, cursor));
			List<Map<String, Object>> missed = expectSeqs(again, 4, 50);
			assertThat(missed.get(0).get("task")).asString().contains("missed 0");
			Fixtures.task(this.b.signIn(alice.handle()), column, "live");
			expectSeqs(again, 54, 1);
			assertThat(again.poll(Duration.ofMillis(300))).isNull();
		}
	}

	@Test
	void aReplicaShutDownMidStreamClosesWithGoingAwayAndItsClientsResumeElsewhere() {
		ConfigurableApplicationContext replicaC = new SpringApplicationBuilder(BoardcastApplication.class)
			.run("--server.port=0");
		int portC = ((WebServerApplicationContext) replicaC).getWebServer().getPort();
		Api.Client alice = this.a.newUser("alice");
		String board = Fixtures.board(alice, "Shutdown");
		String column = Fixtures.column(alice, board, "Todo");
		String cursor;
		try (WsClient onC = WsClient.connect(portC).init(alice.token())) {
			onC.subscribe("1", BOARD_CHANGED, vars(board, latestCursor(alice, board)));
			Fixtures.task(alice, column, "before");
			cursor = (String) expectSeqs(onC, 3, 1).get(0).get("cursor");
			replicaC.close();
			assertThat(onC.closeCode(Duration.ofSeconds(20))).isEqualTo(1001);
		}
		for (int i = 0; i < 5; i++) {
			Fixtures.task(alice, column, "during " + i);
		}
		try (WsClient onA = WsClient.connect(this.portA).init(alice.token())) {
			onA.subscribe("1", BOARD_CHANGED, vars(board, cursor));
			expectSeqs(onA, 4, 5);
		}
	}

	@Test
	void aMissingOrBadTokenClosesTheSocketWith4401AndNoData() {
		try (WsClient anonymous = WsClient.connect(this.portA)) {
			anonymous.send(Map.of("type", "connection_init", "payload", Map.of()));
			assertThat(anonymous.closeCode(Duration.ofSeconds(10))).isEqualTo(4401);
			assertThat(anonymous.pending()).isZero();
		}
		try (WsClient forged = WsClient.connect(this.portA)) {
			forged.send(Map.of("type", "connection_init", "payload", Map.of("Authorization", "Bearer not.a.jwt")));
			assertThat(forged.closeCode(Duration.ofSeconds(10))).isEqualTo(4401);
			assertThat(forged.pending()).isZero();
		}
		try (WsClient early = WsClient.connect(this.portA)) {
			early.subscribe("1", BOARD_CHANGED, vars("00000000-0000-0000-0000-000000000000", null));
			assertThat(early.closeCode(Duration.ofSeconds(10))).isEqualTo(4401);
			assertThat(early.pending()).isZero();
		}
	}

	@Test
	void nonMembersCannotSubscribeAndRemovedMembersAreCutOffOnEveryReplica() {
		Api.Client alice = this.a.newUser("alice");
		Api.Client bob = this.a.newUser("bob");
		Api.Client mallory = this.a.newUser("mallory");
		String board = Fixtures.board(alice, "Private");
		Fixtures.member(alice, board, bob, "VIEWER");
		try (WsClient malloryWs = WsClient.connect(this.portA).init(mallory.token());
				WsClient bobOnB = WsClient.connect(this.portB).init(bob.token())) {
			malloryWs.subscribe("1", BOARD_CHANGED, vars(board, null));
			assertThat(errorCode(malloryWs.next())).isEqualTo("NOT_FOUND");
			bobOnB.subscribe("1", BOARD_CHANGED, vars(board, latestCursor(bob, board)));
			Fixtures.column(alice, board, "Todo");
			expectSeqs(bobOnB, 3, 1);
			alice.graphql()
				.document("mutation($i: RemoveBoardMemberInput!) { removeBoardMember(input: $i) { removedUserId } }")
				.variable("i", Map.of("boardId", board, "userId", bob.id()))
				.execute();
			assertThat(errorCode(bobOnB.next())).isEqualTo("FORBIDDEN");
			Fixtures.column(alice, board, "After");
			assertThat(bobOnB.poll(Duration.ofMillis(500))).isNull();
		}
	}

	@Test
	void deletingTheBoardEndsSubscriptionsWithNotFound() {
		Api.Client alice = this.a.newUser("alice");
		String board = Fixtures.board(alice, "Doomed");
		try (WsClient client = WsClient.connect(this.portB).init(alice.token())) {
			client.subscribe("1", BOARD_CHANGED, vars(board, latestCursor(alice, board)));
			Fixtures.column(alice, board, "Todo");
			expectSeqs(client, 2, 1);
			alice.graphql()
				.document("mutation($i: DeleteBoardInput!) { deleteBoard(input: $i) { deletedBoardId } }")
				.variable("i", Map.of("boardId", board))
				.execute();
			assertThat(errorCode(client.next())).isEqualTo("NOT_FOUND");
		}
	}

	@Test
	@SuppressWarnings("unchecked")
	void nestedFieldsOfEachEventAreFreshNotCachedFromEarlierEvents() {
		Api.Client alice = this.a.newUser("alice");
		String board = Fixtures.board(alice, "Fresh");
		String column = Fixtures.column(alice, board, "Todo");
		try (WsClient client = WsClient.connect(this.portA).init(alice.token())) {
			client.subscribe("1",
					"subscription($b: ID!, $a: String) { boardChanged(boardId: $b, after: $a) { seq kind "
							+ "task { title commentCount column { taskCount tasks { nodes { title } } } } "
							+ "comment { task { commentCount } } } }",
					Map.of("b", board, "a", latestCursor(alice, board)));
			String first = Fixtures.task(alice, column, "T1");
			Map<String, Object> one = event(client.next());
			assertThat(((Map<String, Object>) ((Map<String, Object>) one.get("task")).get("column")))
				.containsEntry("taskCount", 1);
			Fixtures.task(alice, column, "T2");
			Map<String, Object> two = (Map<String, Object>) ((Map<String, Object>) event(client.next()).get("task"))
				.get("column");
			assertThat(two).containsEntry("taskCount", 2);
			assertThat(two.get("tasks"))
				.isEqualTo(Map.of("nodes", List.of(Map.of("title", "T1"), Map.of("title", "T2"))));
			alice.graphql()
				.document("mutation($i: AddCommentInput!) { addComment(input: $i) { comment { id } } }")
				.variable("i", Map.of("taskId", first, "body", "first!"))
				.execute();
			Map<String, Object> commented = event(client.next());
			assertThat(((Map<String, Object>) ((Map<String, Object>) commented.get("comment")).get("task")))
				.containsEntry("commentCount", 1);
		}
	}

	@Test
	void taskChangedDeliversOnlyTaskEventsOfTheChosenTask() {
		Api.Client alice = this.a.newUser("alice");
		String board = Fixtures.board(alice, "Tasks");
		String column = Fixtures.column(alice, board, "Todo");
		String watched = Fixtures.task(alice, column, "watched");
		String other = Fixtures.task(alice, column, "other");
		try (WsClient client = WsClient.connect(this.portA).init(alice.token())) {
			client.subscribe("1",
					"subscription($b: ID!, $t: ID, $a: String) { taskChanged(boardId: $b, taskId: $t, after: $a) { seq kind taskId task { title } comment { body } } }",
					Map.of("b", board, "t", watched, "a", latestCursor(alice, board)));
			Fixtures.column(alice, board, "Noise");
			alice.graphql()
				.documentName("updateTask")
				.variable("input", Map.of("taskId", other, "title", "still other"))
				.execute();
			alice.graphql()
				.documentName("updateTask")
				.variable("input", Map.of("taskId", watched, "title", "renamed"))
				.execute();
			alice.graphql()
				.document("mutation($i: AddCommentInput!) { addComment(input: $i) { comment { id } } }")
				.variable("i", Map.of("taskId", watched, "body", "hello"))
				.execute();
			Map<String, Object> renamed = event(client.next());
			assertThat(renamed).containsEntry("kind", "TASK_UPDATED").containsEntry("taskId", watched);
			assertThat(renamed.get("task")).isEqualTo(Map.of("title", "renamed"));
			Map<String, Object> commented = event(client.next());
			assertThat(commented).containsEntry("kind", "COMMENT_ADDED");
			assertThat(commented.get("comment")).isEqualTo(Map.of("body", "hello"));
			assertThat(client.poll(Duration.ofMillis(300))).isNull();
		}
	}

	@Test
	void protocolRulesAreEnforcedAndOneBadSubscriptionLeavesTheOthers() {
		Api.Client alice = this.a.newUser("alice");
		String board = Fixtures.board(alice, "Protocol");
		try (WsClient client = WsClient.connect(this.portA).init(alice.token())) {
			client.send(Map.of("type", "ping"));
			assertThat(client.next()).containsEntry("type", "pong");
			client.subscribe("good", BOARD_CHANGED, vars(board, latestCursor(alice, board)));
			client.subscribe("bad", BOARD_CHANGED, vars("not-a-board", null));
			assertThat(errorCode(client.next())).isEqualTo("NOT_FOUND");
			client.subscribe("invalid", "subscription { nope }", Map.of());
			Map<String, Object> invalid = client.next();
			// refused before execution: one graphql-ws error message, which ends the
			// operation
			assertThat(invalid).containsEntry("id", "invalid").containsEntry("type", "error");
			assertThat(errorCode(invalid)).isEqualTo("BAD_USER_INPUT");
			Fixtures.column(alice, board, "Todo");
			Map<String, Object> live = client.next();
			assertThat(live).containsEntry("id", "good");
			assertThat(seq(live)).isEqualTo(2);
			client.complete("good");
			Fixtures.column(alice, board, "After complete");
			assertThat(client.poll(Duration.ofMillis(500))).isNull();
		}
		try (WsClient twice = WsClient.connect(this.portA).init(alice.token())) {
			twice
				.send(Map.of("type", "connection_init", "payload", Map.of("Authorization", "Bearer " + alice.token())));
			assertThat(twice.closeCode(Duration.ofSeconds(10))).isEqualTo(4429);
		}
		try (WsClient duplicate = WsClient.connect(this.portA).init(alice.token())) {
			duplicate.subscribe("same", BOARD_CHANGED, vars(board, null));
			duplicate.subscribe("same", BOARD_CHANGED, vars(board, null));
			assertThat(duplicate.closeCode(Duration.ofSeconds(10))).isEqualTo(4409);
		}
		try (WsClient garbage = WsClient.connect(this.portA).init(alice.token())) {
			garbage.sendText("this is not json");
			assertThat(garbage.closeCode(Duration.ofSeconds(10))).isEqualTo(4400);
		}
		try (WsClient binary = WsClient.connect(this.portA).init(alice.token())) {
			binary.sendBinary(new byte[] { 1, 2, 3 });
			assertThat(binary.closeCode(Duration.ofSeconds(10))).isEqualTo(4400);
		}
		try (WsClient unknown = WsClient.connect(this.portA).init(alice.token())) {
			unknown.send(Map.of("type", "teleport", "id", "1"));
			assertThat(unknown.closeCode(Duration.ofSeconds(10))).isEqualTo(4400);
		}
	}

	@Test
	void anExpiredCursorEndsTheSubscriptionWithCursorExpired() {
		Api.Client alice = this.a.newUser("alice");
		String board = Fixtures.board(alice, "Old");
		String column = Fixtures.column(alice, board, "Todo");
		Fixtures.task(alice, column, "one");
		Fixtures.task(alice, column, "two");
		String firstCursor = alice.graphql()
			.documentName("boardEvents")
			.variable("boardId", board)
			.execute()
			.path("boardEvents.nodes[0].cursor")
			.entity(String.class)
			.get();
		replicaB.getBean(EventRetention.class).prune(Duration.ZERO).block();
		try (WsClient client = WsClient.connect(this.portA).init(alice.token())) {
			client.subscribe("1", BOARD_CHANGED, vars(board, firstCursor));
			assertThat(errorCode(client.next())).isEqualTo("CURSOR_EXPIRED");
		}
	}

}
