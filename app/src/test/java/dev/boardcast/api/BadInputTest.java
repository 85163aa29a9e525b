package dev.boardcast.api;

import java.util.HashMap;
import java.util.Map;

import dev.boardcast.support.Api;
import dev.boardcast.support.BoardcastTest;
import dev.boardcast.support.Fixtures;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.graphql.test.tester.GraphQlTester;

import static org.assertj.core.api.Assertions.assertThat;

/** Input that breaks a rule gets a clear error naming the field, and changes nothing. */
@BoardcastTest
class BadInputTest {

	@LocalServerPort
	int port;

	Api api;

	Api.Client alice;

	String board;

	String column;

	String task;

	@BeforeEach
	void setUp() {
		this.api = new Api(this.port);
		this.alice = this.api.newUser("alice");
		this.board = Fixtures.board(this.alice, "Limits");
		this.column = Fixtures.column(this.alice, this.board, "Todo");
		this.task = Fixtures.task(this.alice, this.column, "Original");
	}

	int lastSeq() {
		return this.alice.graphql()
			.document("query($id: ID!) { board(id: $id) { lastSeq } }")
			.variable("id", this.board)
			.execute()
			.path("board.lastSeq")
			.entity(Integer.class)
			.get();
	}

	void expectRefused(GraphQlTester.Response response, String code, String field) {
		response.errors().satisfy((errors) -> assertThat(errors).singleElement().satisfies((error) -> {
			assertThat(error.getExtensions()).containsEntry("code", code).containsEntry("field", field);
			assertThat(error.getMessage()).doesNotContain("Exception", "SQL", "org.");
		}));
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource({ "title too long, title, 201", "description too long, description, 20001" })
	void taskTextLimits(String name, String field, int length) {
		int seq = lastSeq();
		expectRefused(this.alice.graphql()
			.documentName("updateTask")
			.variable("input", Map.of("taskId", this.task, field, "x".repeat(length)))
			.execute(), "BAD_USER_INPUT", "input." + field);
		Map<String, Object> input = new HashMap<>(Map.of("columnId", this.column, "title", "ok"));
		input.put(field, "y".repeat(length));
		expectRefused(this.alice.graphql().documentName("createTask").variable("input", input).execute(),
				"BAD_USER_INPUT", "input." + field);
		assertThat(lastSeq()).isEqualTo(seq);
	}

	@Test
	void exactlyAtTheLimitIsAccepted() {
		this.alice.graphql()
			.documentName("updateTask")
			.variable("input", Map.of("taskId", this.task, "title", "t".repeat(200), "description", "d".repeat(20_000)))
			.execute()
			.path("updateTask.task.title")
			.entity(String.class)
			.isEqualTo("t".repeat(200));
	}

	@Test
	void commentLimit() {
		int seq = lastSeq();
		expectRefused(this.alice.graphql()
			.document("mutation($i: AddCommentInput!) { addComment(input: $i) { comment { id } } }")
			.variable("i", Map.of("taskId", this.task, "body", "c".repeat(10_001)))
			.execute(), "BAD_USER_INPUT", "input.body");
		assertThat(lastSeq()).isEqualTo(seq);
	}

	@Test
	void nulBytesAndLoneSurrogatesAreRefused() {
		int seq = lastSeq();
		expectRefused(this.alice.graphql()
			.documentName("updateTask")
			.variable("input", Map.of("taskId", this.task, "title", "bad\u0000title"))
			.execute(), "BAD_USER_INPUT", "input.title");
		expectRefused(this.alice.graphql()
			.documentName("updateTask")
			.variable("input", Map.of("taskId", this.task, "description", "half \uD83D pair"))
			.execute(), "BAD_USER_INPUT", "input.description");
		expectRefused(
				this.alice.graphql().documentName("createBoard").variable("input", Map.of("name", "\u0000")).execute(),
				"BAD_USER_INPUT", "input.name");
		assertThat(lastSeq()).isEqualTo(seq);
	}

	@Test
	void hostileButValidTextIsStoredExactly() {
		String text = "Robert'); DROP TABLE tasks;-- \u202Eevil\u202C 😀 %_\\";
		this.alice.graphql()
			.documentName("updateTask")
			.variable("input", Map.of("taskId", this.task, "title", text))
			.execute()
			.path("updateTask.task.title")
			.entity(String.class)
			.isEqualTo(text);
	}

	@Test
	void unknownAndMalformedIdsAreNotFoundWithTheFieldNamed() {
		int seq = lastSeq();
		for (String id : new String[] { "00000000-0000-0000-0000-000000000000", "not-an-id", "' OR 1=1 --" }) {
			expectRefused(this.alice.graphql()
				.documentName("moveTask")
				.variable("input", Map.of("taskId", id, "columnId", this.column))
				.execute(), "NOT_FOUND", "input.taskId");
			expectRefused(this.alice.graphql()
				.documentName("moveTask")
				.variable("input", Map.of("taskId", this.task, "columnId", id))
				.execute(), "NOT_FOUND", "input.columnId");
			expectRefused(this.alice.graphql()
				.documentName("createTask")
				.variable("input", Map.of("columnId", this.column, "title", "x", "afterId", id))
				.execute(), "NOT_FOUND", "input.afterId");
		}
		assertThat(lastSeq()).isEqualTo(seq);
	}

	@Test
	void anIdFromAnotherBoardIsNotFound() {
		Api.Client bob = this.api.newUser("bob");
		String bobsBoard = Fixtures.board(bob, "Bob's");
		String bobsColumn = Fixtures.column(bob, bobsBoard, "Todo");
		// alice is no member of bob's board: moving her task there is refused as unknown
		expectRefused(this.alice.graphql()
			.documentName("moveTask")
			.variable("input", Map.of("taskId", this.task, "columnId", bobsColumn))
			.execute(), "NOT_FOUND", "input.columnId");
	}

	@Test
	void pageSizesOutsideTheLimitsAreRefusedNotClamped() {
		for (int first : new int[] { 101, -1, Integer.MAX_VALUE }) {
			this.alice.graphql()
				.document("query($n: Int) { boards(first: $n) { nodes { id } } }")
				.variable("n", first)
				.execute()
				.errors()
				.satisfy((errors) -> assertThat(errors).singleElement()
					.satisfies((error) -> assertThat(error.getExtensions()).containsEntry("code", "BAD_USER_INPUT")
						.containsEntry("field", "first")));
		}
		this.alice.graphql()
			.document("query($id: ID!) { board(id: $id) { columns { tasks(first: 1000) { nodes { id } } } } }")
			.variable("id", this.board)
			.execute()
			.errors()
			.satisfy((errors) -> assertThat(errors).isNotEmpty()
				.allSatisfy((error) -> assertThat(error.getExtensions()).containsEntry("code", "BAD_USER_INPUT")));
	}

	@Test
	void badCursorsAndColorsAndHandlesAreBadUserInput() {
		this.alice.graphql()
			.document("{ boards(after: \"garbage\") { nodes { id } } }")
			.execute()
			.errors()
			.satisfy((errors) -> assertThat(errors).singleElement()
				.satisfies((error) -> assertThat(error.getExtensions()).containsEntry("code", "BAD_USER_INPUT")));
		expectRefused(this.alice.graphql()
			.documentName("createLabel")
			.variable("input", Map.of("boardId", this.board, "name", "x", "color", "red"))
			.execute(), "BAD_USER_INPUT", "input.color");
	}

	@Test
	void graphQlErrorsBeforeExecutionCarryACode() {
		this.alice.graphql()
			.document("{ board { id } }")
			.execute()
			.errors()
			.satisfy((errors) -> assertThat(errors).isNotEmpty()
				.allSatisfy((error) -> assertThat(error.getExtensions()).containsEntry("code", "BAD_USER_INPUT")));
		Map<String, Object> input = new HashMap<>();
		input.put("taskId", this.task);
		input.put("priority", "SOMEDAY");
		this.alice.graphql()
			.documentName("updateTask")
			.variable("input", input)
			.execute()
			.errors()
			.satisfy((errors) -> assertThat(errors).isNotEmpty()
				.allSatisfy((error) -> assertThat(error.getExtensions()).containsEntry("code", "BAD_USER_INPUT")));
	}

}
