package dev.boardcast.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;

import dev.boardcast.support.Api;
import dev.boardcast.support.BoardcastTest;
import dev.boardcast.support.Fixtures;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.graphql.test.tester.GraphQlTester;
import org.springframework.http.MediaType;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every mutation, as OWNER, EDITOR, VIEWER, non-member and anonymous: allowed, FORBIDDEN,
 * NOT_FOUND or HTTP 401, and a refused mutation changes nothing (the board's seq stays).
 */
@BoardcastTest
class RoleMatrixTest {

	@LocalServerPort
	int port;

	Api api;

	@BeforeEach
	void setUp() {
		this.api = new Api(this.port);
	}

	/** A board with one member of each role and one of everything on it. */
	record Scene(Api.Client owner, Api.Client editor, Api.Client viewer, Api.Client stranger, String board,
			String column, String otherColumn, String task, String label, String comment) {

		Api.Client as(String role) {
			return switch (role) {
				case "OWNER" -> this.owner;
				case "EDITOR" -> this.editor;
				case "VIEWER" -> this.viewer;
				default -> this.stranger;
			};
		}

	}

	record Case(String mutation, String document, Function<Scene, Map<String, Object>> input, List<String> allowed) {
	}

	static final List<String> OWNER = List.of("OWNER");

	static final List<String> EDITORS = List.of("OWNER", "EDITOR");

	static final List<Case> CASES = List.of(
			new Case("updateBoard", "updateBoard(input: $i) { board { id } }",
					(s) -> Map.of("boardId", s.board(), "name", "N"), OWNER),
			new Case("deleteBoard", "deleteBoard(input: $i) { deletedBoardId }", (s) -> Map.of("boardId", s.board()),
					OWNER),
			new Case("addBoardMember", "addBoardMember(input: $i) { member { role } }",
					(s) -> Map.of("boardId", s.board(), "handle", s.stranger().handle(), "role", "VIEWER"), OWNER),
			new Case("updateBoardMember", "updateBoardMember(input: $i) { member { role } }",
					(s) -> Map.of("boardId", s.board(), "userId", s.viewer().id(), "role", "EDITOR"), OWNER),
			new Case("removeBoardMember", "removeBoardMember(input: $i) { removedUserId }",
					(s) -> Map.of("boardId", s.board(), "userId", s.viewer().id()), List.of("OWNER", "VIEWER")),
			new Case("createColumn", "createColumn(input: $i) { column { id } }",
					(s) -> Map.of("boardId", s.board(), "name", "C"), EDITORS),
			new Case("updateColumn", "updateColumn(input: $i) { column { id } }",
					(s) -> Map.of("columnId", s.column(), "name", "C2"), EDITORS),
			new Case("moveColumn", "moveColumn(input: $i) { column { id } }",
					(s) -> Map.of("columnId", s.column(), "afterId", s.otherColumn()), EDITORS),
			new Case("deleteColumn", "deleteColumn(input: $i) { deletedColumnId }",
					(s) -> Map.of("columnId", s.column(), "moveTasksTo", s.otherColumn()), EDITORS),
			new Case("createLabel", "createLabel(input: $i) { label { id } }",
					(s) -> Map.of("boardId", s.board(), "name", "new", "color", "#123456"), EDITORS),
			new Case("updateLabel", "updateLabel(input: $i) { label { id } }",
					(s) -> Map.of("labelId", s.label(), "name", "renamed"), EDITORS),
			new Case("deleteLabel", "deleteLabel(input: $i) { deletedLabelId }", (s) -> Map.of("labelId", s.label()),
					EDITORS),
			new Case("createTask", "createTask(input: $i) { task { id } }",
					(s) -> Map.of("columnId", s.column(), "title", "T"), EDITORS),
			new Case("updateTask", "updateTask(input: $i) { task { id } }",
					(s) -> Map.of("taskId", s.task(), "title", "T2"), EDITORS),
			new Case("moveTask", "moveTask(input: $i) { task { id } }",
					(s) -> Map.of("taskId", s.task(), "columnId", s.otherColumn()), EDITORS),
			new Case("deleteTask", "deleteTask(input: $i) { deletedTaskId }", (s) -> Map.of("taskId", s.task()),
					EDITORS),
			new Case("addComment", "addComment(input: $i) { comment { id } }",
					(s) -> Map.of("taskId", s.task(), "body", "hi"), EDITORS),
			// the comment is the EDITOR's: only its author edits it
			new Case("editComment", "editComment(input: $i) { comment { id } }",
					(s) -> Map.of("commentId", s.comment(), "body", "edited"), List.of("EDITOR")),
			new Case("deleteComment", "deleteComment(input: $i) { deletedCommentId }",
					(s) -> Map.of("commentId", s.comment()), EDITORS));

	static final Map<String, String> INPUT_TYPES = Map.ofEntries(Map.entry("updateBoard", "UpdateBoardInput"),
			Map.entry("deleteBoard", "DeleteBoardInput"), Map.entry("addBoardMember", "AddBoardMemberInput"),
			Map.entry("updateBoardMember", "UpdateBoardMemberInput"),
			Map.entry("removeBoardMember", "RemoveBoardMemberInput"), Map.entry("createColumn", "CreateColumnInput"),
			Map.entry("updateColumn", "UpdateColumnInput"), Map.entry("moveColumn", "MoveColumnInput"),
			Map.entry("deleteColumn", "DeleteColumnInput"), Map.entry("createLabel", "CreateLabelInput"),
			Map.entry("updateLabel", "UpdateLabelInput"), Map.entry("deleteLabel", "DeleteLabelInput"),
			Map.entry("createTask", "CreateTaskInput"), Map.entry("updateTask", "UpdateTaskInput"),
			Map.entry("moveTask", "MoveTaskInput"), Map.entry("deleteTask", "DeleteTaskInput"),
			Map.entry("addComment", "AddCommentInput"), Map.entry("editComment", "EditCommentInput"),
			Map.entry("deleteComment", "DeleteCommentInput"));

	static Stream<Arguments> matrix() {
		List<Arguments> arguments = new ArrayList<>();
		for (Case c : CASES) {
			for (String role : List.of("OWNER", "EDITOR", "VIEWER", "NON_MEMBER", "ANONYMOUS")) {
				arguments.add(Arguments.of(c.mutation(), role));
			}
		}
		return arguments.stream();
	}

	Scene scene() {
		Api.Client owner = this.api.newUser("owner");
		Api.Client editor = this.api.newUser("editor");
		Api.Client viewer = this.api.newUser("viewer");
		Api.Client stranger = this.api.newUser("stranger");
		String board = Fixtures.board(owner, "Matrix");
		Fixtures.member(owner, board, editor, "EDITOR");
		Fixtures.member(owner, board, viewer, "VIEWER");
		String column = Fixtures.column(owner, board, "Todo");
		String otherColumn = Fixtures.column(owner, board, "Done");
		String task = Fixtures.task(owner, column, "Task");
		String label = Fixtures.label(owner, board, "bug", "#ff0000");
		String comment = editor.graphql()
			.document("mutation($i: AddCommentInput!) { addComment(input: $i) { comment { id } } }")
			.variable("i", Map.of("taskId", task, "body", "mine"))
			.execute()
			.path("addComment.comment.id")
			.entity(String.class)
			.get();
		return new Scene(owner, editor, viewer, stranger, board, column, otherColumn, task, label, comment);
	}

	int lastSeq(Scene scene) {
		return scene.owner()
			.graphql()
			.document("query($id: ID!) { board(id: $id) { lastSeq } }")
			.variable("id", scene.board())
			.execute()
			.path("board.lastSeq")
			.entity(Integer.class)
			.get();
	}

	@ParameterizedTest(name = "{0} as {1}")
	@MethodSource("matrix")
	void mutationIsAllowedOnlyForItsRoles(String mutation, String role) {
		Case c = CASES.stream().filter((x) -> x.mutation().equals(mutation)).findFirst().orElseThrow();
		Scene scene = scene();
		int seqBefore = lastSeq(scene);
		String document = "mutation($i: " + INPUT_TYPES.get(mutation) + "!) { " + c.document() + " }";
		Map<String, Object> input = c.input().apply(scene);
		if (role.equals("ANONYMOUS")) {
			this.api.client()
				.post()
				.uri("/graphql")
				.contentType(MediaType.APPLICATION_JSON)
				.bodyValue(Map.of("query", document, "variables", Map.of("i", input)))
				.exchange()
				.expectStatus()
				.isUnauthorized()
				.expectHeader()
				.valueMatches("WWW-Authenticate", "Bearer.*");
			assertThat(lastSeq(scene)).isEqualTo(seqBefore);
			return;
		}
		GraphQlTester.Response response = scene.as(role).graphql().document(document).variable("i", input).execute();
		if (c.allowed().contains(role)) {
			response.path(mutation).hasValue();
			if (!mutation.equals("deleteBoard")) {
				assertThat(lastSeq(scene)).isEqualTo(seqBefore + 1);
			}
			return;
		}
		String expected = role.equals("NON_MEMBER") ? "NOT_FOUND" : "FORBIDDEN";
		response.errors()
			.satisfy((errors) -> assertThat(errors).singleElement()
				.satisfies((error) -> assertThat(error.getExtensions()).containsEntry("code", expected)));
		assertThat(lastSeq(scene)).isEqualTo(seqBefore);
	}

}
