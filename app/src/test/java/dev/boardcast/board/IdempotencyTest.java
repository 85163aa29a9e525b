package dev.boardcast.board;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import dev.boardcast.BoardcastApplication;
import dev.boardcast.support.Api;
import dev.boardcast.support.BoardcastTest;
import dev.boardcast.support.Fixtures;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.graphql.test.tester.GraphQlTester;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Creates with a {@code clientMutationId}: a retry returns what the first request created
 * and creates nothing twice, also when the retries race.
 */
@BoardcastTest
class IdempotencyTest {

	static final String DOCUMENTS = "idempotentCreates";

	@LocalServerPort
	int port;

	@Autowired
	IdempotencyKeys keys;

	Api api;

	@BeforeEach
	void setUp() {
		this.api = new Api(this.port);
	}

	static GraphQlTester.Response create(Api.Client user, String mutation, Map<String, Object> input) {
		return user.graphql().documentName(DOCUMENTS).operationName(mutation).variable("input", input).execute();
	}

	static String createdId(Api.Client user, String mutation, String entity, Map<String, Object> input) {
		GraphQlTester.Response response = create(user, mutation, input);
		response.path(mutation + ".clientMutationId")
			.entity(String.class)
			.isEqualTo((String) input.get("clientMutationId"));
		return response.path(mutation + "." + entity + ".id").entity(String.class).get();
	}

	static Map<String, Object> input(Object... pairs) {
		Map<String, Object> input = new HashMap<>();
		for (int i = 0; i < pairs.length; i += 2) {
			input.put((String) pairs[i], pairs[i + 1]);
		}
		return input;
	}

	static GraphQlTester.Response board(Api.Client user, String boardId) {
		return user.graphql().documentName(DOCUMENTS).operationName("board").variable("id", boardId).execute();
	}

	static int lastSeq(Api.Client user, String boardId) {
		return board(user, boardId).path("board.lastSeq").entity(Integer.class).get();
	}

	static void expectError(GraphQlTester.Response response, String code, String field) {
		response.errors().satisfy((errors) -> assertThat(errors).singleElement().satisfies((error) -> {
			assertThat(error.getExtensions()).containsEntry("code", code);
			assertThat(error.getExtensions()).containsEntry("field", field);
		}));
	}

	@Test
	void aRetryReturnsTheFirstResultAsItIsNowAndLogsOneEvent() {
		Api.Client alice = this.api.newUser("retry");
		String board = Fixtures.board(alice, "Retries");
		Map<String, Object> column = input("boardId", board, "name", "Todo", "clientMutationId", "col-1");
		String first = createdId(alice, "createColumn", "column", column);
		assertThat(lastSeq(alice, board)).isEqualTo(2);
		alice.graphql()
			.document("mutation($i: UpdateColumnInput!) { updateColumn(input: $i) { column { id } } }")
			.variable("i", Map.of("columnId", first, "name", "Doing"))
			.execute();
		GraphQlTester.Response retry = create(alice, "createColumn", column);
		retry.path("createColumn.column.id").entity(String.class).isEqualTo(first);
		retry.path("createColumn.column.name").entity(String.class).isEqualTo("Doing");
		retry.path("createColumn.clientMutationId").entity(String.class).isEqualTo("col-1");
		// no event for the retry: the board counted the create and the rename only
		assertThat(lastSeq(alice, board)).isEqualTo(3);
		board(alice, board).path("board.columns").entityList(Object.class).hasSize(1);
		alice.graphql()
			.documentName("boardEvents")
			.variable("boardId", board)
			.execute()
			.path("boardEvents.nodes[*].kind")
			.entityList(String.class)
			.containsExactly("BOARD_CREATED", "COLUMN_CREATED", "COLUMN_UPDATED");
	}

	@Test
	void everyCreateMutationIsIdempotent() {
		Api.Client alice = this.api.newUser("creator");
		Api.Client bob = this.api.newUser("invitee");
		Map<String, Object> newBoard = input("name", "Once", "clientMutationId", "board-1");
		String board = createdId(alice, "createBoard", "board", newBoard);
		assertThat(createdId(alice, "createBoard", "board", newBoard)).isEqualTo(board);
		alice.graphql()
			.document("{ boards(first: 100) { nodes { name } } }")
			.execute()
			.path("boards.nodes[*].name")
			.entityList(String.class)
			.containsExactly("Once");
		Map<String, Object> member = input("boardId", board, "handle", bob.handle(), "role", "EDITOR",
				"clientMutationId", "member-1");
		create(alice, "addBoardMember", member).path("addBoardMember.member.role")
			.entity(String.class)
			.isEqualTo("EDITOR");
		// a retry is not "already a member"
		create(alice, "addBoardMember", member).path("addBoardMember.member.user.handle")
			.entity(String.class)
			.isEqualTo(bob.handle());
		String column = Fixtures.column(alice, board, "Todo");
		Map<String, Object> label = input("boardId", board, "name", "bug", "color", "#ff0000", "clientMutationId",
				"label-1");
		assertThat(createdId(alice, "createLabel", "label", label))
			.isEqualTo(createdId(alice, "createLabel", "label", label));
		Map<String, Object> task = input("columnId", column, "title", "Write", "priority", "HIGH", "labelIds",
				List.of(), "clientMutationId", "task-1");
		String taskId = createdId(alice, "createTask", "task", task);
		assertThat(createdId(alice, "createTask", "task", task)).isEqualTo(taskId);
		Map<String, Object> comment = input("taskId", taskId, "body", "Hi", "clientMutationId", "comment-1");
		assertThat(createdId(alice, "addComment", "comment", comment))
			.isEqualTo(createdId(alice, "addComment", "comment", comment));
		// board, member, column, label, task, comment: six events, the retries none
		assertThat(lastSeq(alice, board)).isEqualTo(6);
	}

	@Test
	void tenConcurrentCreatesWithOneKeyMakeExactlyOneEntity() throws Exception {
		Api.Client alice = this.api.newUser("racer");
		String board = Fixtures.board(alice, "Race");
		String column = Fixtures.column(alice, board, "Todo");
		List<String> tasks = race(() -> createdId(alice, "createTask", "task",
				input("columnId", column, "title", "Only once", "clientMutationId", "race-task")));
		assertThat(tasks).hasSize(10).containsOnly(tasks.get(0));
		assertThat(lastSeq(alice, board)).isEqualTo(3);
		board(alice, board).path("board.columns[0].tasks.nodes").entityList(Object.class).hasSize(1);
		// a create without a board lock to queue on: the key alone decides
		List<String> boards = race(() -> createdId(alice, "createBoard", "board",
				input("name", "Raced", "clientMutationId", "race-board")));
		assertThat(boards).hasSize(10).containsOnly(boards.get(0));
		alice.graphql()
			.document("{ boards(first: 100) { nodes { name } } }")
			.execute()
			.path("boards.nodes[*].name")
			.entityList(String.class)
			.containsExactly("Race", "Raced");
	}

	static List<String> race(Callable<String> create) throws Exception {
		ExecutorService pool = Executors.newFixedThreadPool(10);
		try {
			CountDownLatch start = new CountDownLatch(1);
			List<Future<String>> answers = new ArrayList<>();
			for (int i = 0; i < 10; i++) {
				answers.add(pool.submit(() -> {
					start.await();
					return create.call();
				}));
			}
			start.countDown();
			List<String> ids = new ArrayList<>();
			for (Future<String> answer : answers) {
				ids.add(answer.get());
			}
			return ids;
		}
		finally {
			pool.shutdownNow();
		}
	}

	@Test
	void theSameKeyWithAnotherInputIsRefusedAndCreatesNothing() {
		Api.Client alice = this.api.newUser("mixup");
		String board = Fixtures.board(alice, "Mixup");
		createdId(alice, "createLabel", "label",
				input("boardId", board, "name", "bug", "color", "#ff0000", "clientMutationId", "same"));
		int seq = lastSeq(alice, board);
		expectError(
				create(alice, "createLabel",
						input("boardId", board, "name", "feature", "color", "#00ff00", "clientMutationId", "same")),
				"BAD_USER_INPUT", "input.clientMutationId");
		// another mutation with the key is another input too
		expectError(create(alice, "createColumn", input("boardId", board, "name", "bug", "clientMutationId", "same")),
				"BAD_USER_INPUT", "input.clientMutationId");
		assertThat(lastSeq(alice, board)).isEqualTo(seq);
		board(alice, board).path("board.labels[*].name").entityList(String.class).containsExactly("bug");
		board(alice, board).path("board.columns").entityList(Object.class).hasSize(0);
	}

	@Test
	void keysArePerUser() {
		Api.Client alice = this.api.newUser("owner");
		Api.Client bob = this.api.newUser("editor");
		String board = Fixtures.board(alice, "Shared");
		Fixtures.member(alice, board, bob, "EDITOR");
		String byAlice = createdId(alice, "createColumn", "column",
				input("boardId", board, "name", "Todo", "clientMutationId", "mine"));
		String byBob = createdId(bob, "createColumn", "column",
				input("boardId", board, "name", "Todo", "clientMutationId", "mine"));
		assertThat(byBob).isNotEqualTo(byAlice);
		board(alice, board).path("board.columns").entityList(Object.class).hasSize(2);
	}

	@Test
	void aRetryOfSomethingDeletedSinceIsNotFound() {
		Api.Client alice = this.api.newUser("deleter");
		String board = Fixtures.board(alice, "Gone");
		String task = Fixtures.task(alice, Fixtures.column(alice, board, "Todo"), "Commented");
		Map<String, Object> comment = input("taskId", task, "body", "Soon gone", "clientMutationId", "c-1");
		String id = createdId(alice, "addComment", "comment", comment);
		alice.graphql()
			.document("mutation($i: DeleteCommentInput!) { deleteComment(input: $i) { deletedCommentId } }")
			.variable("i", Map.of("commentId", id))
			.execute();
		int seq = lastSeq(alice, board);
		GraphQlTester.Response retry = create(alice, "addComment", comment);
		expectError(retry, "NOT_FOUND", "input.clientMutationId");
		retry.errors()
			.satisfy((errors) -> assertThat(errors.get(0).getMessage())
				.isEqualTo("The comment created with this clientMutationId no longer exists"));
		assertThat(lastSeq(alice, board)).isEqualTo(seq);
		board(alice, board).path("board.columns[0].tasks.nodes[0].comments.nodes").entityList(Object.class).hasSize(0);
	}

	@Test
	void keysOfOneToAHundredCharacters() {
		Api.Client alice = this.api.newUser("keys");
		expectError(create(alice, "createBoard", input("name", "Empty key", "clientMutationId", "")), "BAD_USER_INPUT",
				"input.clientMutationId");
		expectError(create(alice, "createBoard", input("name", "Long key", "clientMutationId", "k".repeat(101))),
				"BAD_USER_INPUT", "input.clientMutationId");
		createdId(alice, "createBoard", "board", input("name", "Longest key", "clientMutationId", "k".repeat(100)));
		alice.graphql()
			.document("{ boards(first: 100) { nodes { name } } }")
			.execute()
			.path("boards.nodes[*].name")
			.entityList(String.class)
			.containsExactly("Longest key");
	}

	@Test
	void onceTheKeysArePrunedTheKeyIsFreeAgain() {
		Api.Client alice = this.api.newUser("pruned");
		String board = Fixtures.board(alice, "Pruned");
		Map<String, Object> column = input("boardId", board, "name", "Todo", "clientMutationId", "reused");
		String first = createdId(alice, "createColumn", "column", column);
		// what the retention job runs, with everything older than now expired
		this.keys.prune(Duration.ZERO).block();
		String second = createdId(alice, "createColumn", "column", column);
		assertThat(second).isNotEqualTo(first);
		assertThat(lastSeq(alice, board)).isEqualTo(3);
	}

	@Test
	void aKeyOlderThanTheWindowIsFreeEvenBeforeItIsPruned() {
		ConfigurableApplicationContext replica = new SpringApplicationBuilder(BoardcastApplication.class)
			.run("--server.port=0", "--boardcast.idempotency.window=1s");
		try {
			Api.Client alice = new Api(((WebServerApplicationContext) replica).getWebServer().getPort())
				.newUser("window");
			String board = Fixtures.board(alice, "Window");
			Map<String, Object> column = input("boardId", board, "name", "Todo", "clientMutationId", "short-lived");
			String first = createdId(alice, "createColumn", "column", column);
			sleep(Duration.ofMillis(1500));
			String second = createdId(alice, "createColumn", "column", column);
			assertThat(second).isNotEqualTo(first);
			// and the new create holds the key again
			assertThat(createdId(alice, "createColumn", "column", column)).isEqualTo(second);
		}
		finally {
			replica.close();
		}
	}

	static void sleep(Duration duration) {
		try {
			Thread.sleep(duration.toMillis());
		}
		catch (InterruptedException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
