package dev.boardcast.task;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.boardcast.support.Api;
import dev.boardcast.support.BoardcastTest;
import dev.boardcast.support.Fixtures;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.graphql.test.tester.GraphQlTester;
import org.springframework.r2dbc.core.DatabaseClient;

import static org.assertj.core.api.Assertions.assertThat;

@BoardcastTest
class TaskApiTest {

	@LocalServerPort
	int port;

	@Autowired
	DatabaseClient db;

	Api api;

	Api.Client alice;

	String boardId;

	String todo;

	String done;

	@BeforeEach
	void setUp() {
		this.api = new Api(this.port);
		this.alice = this.api.newUser("alice");
		this.boardId = Fixtures.board(this.alice, "Tasks");
		this.todo = Fixtures.column(this.alice, this.boardId, "Todo");
		this.done = this.alice.graphql()
			.documentName("createColumn")
			.variable("input", Map.of("boardId", this.boardId, "name", "Done", "isDone", true))
			.execute()
			.path("createColumn.column.id")
			.entity(String.class)
			.get();
	}

	List<String> titles(String columnId) {
		return this.alice.graphql()
			.document("query($id: ID!) { board(id: $id) { columns { id tasks(first: 100) { nodes { title } } } } }")
			.variable("id", this.boardId)
			.execute()
			.path("board.columns[?(@.id == '" + columnId + "')].tasks.nodes[*].title")
			.entityList(String.class)
			.get();
	}

	GraphQlTester.Response move(Map<String, Object> input) {
		return this.alice.graphql().documentName("moveTask").variable("input", input).execute();
	}

	@Test
	void tasksGoToTheEndOfTheColumnOrBetweenTheNamedNeighbours() {
		String a = Fixtures.task(this.alice, this.todo, "A");
		String c = Fixtures.task(this.alice, this.todo, "C");
		Fixtures.task(this.alice, Map.of("columnId", this.todo, "title", "B", "afterId", a));
		Fixtures.task(this.alice, Map.of("columnId", this.todo, "title", "First", "beforeId", a));
		Fixtures.task(this.alice, Map.of("columnId", this.todo, "title", "C2", "afterId", c));
		assertThat(titles(this.todo)).containsExactly("First", "A", "B", "C", "C2");
	}

	@Test
	void numbersArePerBoardAndHumanReadable() {
		this.alice.graphql()
			.documentName("createTask")
			.variable("input", Map.of("columnId", this.todo, "title", "One"))
			.execute()
			.path("createTask.task.number")
			.entity(Integer.class)
			.isEqualTo(1);
		this.alice.graphql()
			.documentName("createTask")
			.variable("input", Map.of("columnId", this.done, "title", "Two"))
			.execute()
			.path("createTask.task.number")
			.entity(Integer.class)
			.isEqualTo(2);
	}

	@Test
	void movingIntoADoneColumnCompletesAndMovingOutReopens() {
		String task = Fixtures.task(this.alice, this.todo, "Ship it");
		GraphQlTester.Response moved = move(Map.of("taskId", task, "columnId", this.done));
		moved.path("moveTask.task.column.id").entity(String.class).isEqualTo(this.done);
		moved.path("moveTask.task.completedAt").hasValue();
		moved.path("moveTask.task.version").entity(Integer.class).isEqualTo(2);
		move(Map.of("taskId", task, "columnId", this.todo)).path("moveTask.task.completedAt").valueIsNull();
	}

	@Test
	void movesGoBeforeBetweenOrAfterTheNamedNeighboursOfTheirColumn() {
		String a = Fixtures.task(this.alice, this.todo, "A");
		String b = Fixtures.task(this.alice, this.todo, "B");
		String c = Fixtures.task(this.alice, this.todo, "C");
		String d = Fixtures.task(this.alice, this.todo, "D");
		move(Map.of("taskId", d, "beforeId", a)).path("moveTask.task.id").hasValue();
		assertThat(titles(this.todo)).containsExactly("D", "A", "B", "C");
		move(Map.of("taskId", d, "afterId", b, "beforeId", c)).path("moveTask.task.id").hasValue();
		assertThat(titles(this.todo)).containsExactly("A", "B", "D", "C");
		move(Map.of("taskId", a, "afterId", c)).path("moveTask.task.id").hasValue();
		assertThat(titles(this.todo)).containsExactly("B", "D", "C", "A");
		// no column named: the end of the task's own column
		move(Map.of("taskId", b)).path("moveTask.task.id").hasValue();
		assertThat(titles(this.todo)).containsExactly("D", "C", "A", "B");
		String e = Fixtures.task(this.alice, this.done, "E");
		move(Map.of("taskId", e, "columnId", this.todo, "beforeId", d)).path("moveTask.task.id").hasValue();
		assertThat(titles(this.todo)).containsExactly("E", "D", "C", "A", "B");
		assertThat(titles(this.done)).isEmpty();
	}

	@Test
	void aMoveBesideATaskOfAnotherColumnOrBetweenReversedNeighboursChangesNothing() {
		String a = Fixtures.task(this.alice, this.todo, "A");
		String b = Fixtures.task(this.alice, this.todo, "B");
		String c = Fixtures.task(this.alice, this.todo, "C");
		String elsewhere = Fixtures.task(this.alice, this.done, "Elsewhere");
		expectError(move(Map.of("taskId", c, "columnId", this.todo, "afterId", elsewhere)), "NOT_FOUND",
				"input.afterId");
		expectError(move(Map.of("taskId", c, "beforeId", elsewhere)), "NOT_FOUND", "input.beforeId");
		expectError(move(Map.of("taskId", a, "columnId", this.done, "afterId", b)), "NOT_FOUND", "input.afterId");
		expectError(move(Map.of("taskId", c, "afterId", b, "beforeId", a)), "BAD_USER_INPUT", "input.beforeId");
		assertThat(titles(this.todo)).containsExactly("A", "B", "C");
		assertThat(titles(this.done)).containsExactly("Elsewhere");
	}

	static void expectError(GraphQlTester.Response response, String code, String field) {
		response.errors()
			.satisfy((errors) -> assertThat(errors).singleElement()
				.satisfies((error) -> assertThat(error.getExtensions()).containsEntry("code", code)
					.containsEntry("field", field)));
	}

	@Test
	void aMoveRewritesOnlyTheMovedTask() {
		String a = Fixtures.task(this.alice, this.todo, "A");
		String b = Fixtures.task(this.alice, this.todo, "B");
		String c = Fixtures.task(this.alice, this.todo, "C");
		move(Map.of("taskId", c, "afterId", a)).path("moveTask.task.version").entity(Integer.class).isEqualTo(2);
		assertThat(titles(this.todo)).containsExactly("A", "C", "B");
		for (String untouched : List.of(a, b)) {
			this.alice.graphql()
				.document("query($id: ID!) { task(id: $id) { version } }")
				.variable("id", untouched)
				.execute()
				.path("task.version")
				.entity(Integer.class)
				.isEqualTo(1);
		}
	}

	@Test
	void aThousandMovesIntoTheSameGapKeepAStrictOrder() {
		List<String> ids = new ArrayList<>();
		List<String> expected = new ArrayList<>();
		for (String title : List.of("anchor", "t1", "t2", "t3", "t4", "t5", "end")) {
			ids.add(Fixtures.task(this.alice, this.todo, title));
			expected.add(title);
		}
		String anchor = ids.get(0);
		for (int i = 0; i < 1000; i++) {
			int moved = 1 + (i % 5);
			move(Map.of("taskId", ids.get(moved), "afterId", anchor)).path("moveTask.task.id").hasValue();
			String title = "t" + moved;
			expected.remove(title);
			expected.add(1, title);
		}
		assertThat(titles(this.todo)).containsExactlyElementsOf(expected);
		Integer longest = this.db.sql("SELECT max(length(position)) AS n FROM tasks WHERE column_id = :c")
			.bind("c", java.util.UUID.fromString(this.todo))
			.map((row) -> row.get("n", Integer.class))
			.one()
			.block();
		assertThat(longest).isLessThan(250);
	}

	@Test
	void staleExpectedVersionIsAConflictWithTheCurrentTask() {
		String task = Fixtures.task(this.alice, this.todo, "Draft");
		Map<String, Object> first = Map.of("taskId", task, "expectedVersion", 1, "title", "Final");
		this.alice.graphql()
			.documentName("updateTask")
			.variable("input", first)
			.execute()
			.path("updateTask.task.version")
			.entity(Integer.class)
			.isEqualTo(2);
		GraphQlTester.Response stale = this.alice.graphql()
			.documentName("updateTask")
			.variable("input", Map.of("taskId", task, "expectedVersion", 1, "title", "Overwrite"))
			.execute();
		stale.errors()
			.satisfy((errors) -> assertThat(errors).singleElement()
				.satisfies((error) -> assertThat(error.getExtensions()).containsEntry("code", "CONFLICT")));
		stale.path("updateTask.task.title").entity(String.class).isEqualTo("Final");
		stale.path("updateTask.task.version").entity(Integer.class).isEqualTo(2);
		GraphQlTester.Response staleMove = move(Map.of("taskId", task, "columnId", this.done, "expectedVersion", 1));
		staleMove.errors()
			.satisfy((errors) -> assertThat(errors).singleElement()
				.satisfies((error) -> assertThat(error.getExtensions()).containsEntry("code", "CONFLICT")));
		staleMove.path("moveTask.task.column.id").entity(String.class).isEqualTo(this.todo);
		// Without expectedVersion the last write wins.
		this.alice.graphql()
			.documentName("updateTask")
			.variable("input", Map.of("taskId", task, "title", "Last"))
			.execute()
			.path("updateTask.task.title")
			.entity(String.class)
			.isEqualTo("Last");
	}

	@Test
	void updateChangesOnlyTheGivenFieldsAndNullClears() {
		Api.Client bob = this.api.newUser("bob");
		Fixtures.member(this.alice, this.boardId, bob, "EDITOR");
		String bug = Fixtures.label(this.alice, this.boardId, "bug", "#ff0000");
		String task = Fixtures.task(this.alice, Map.of("columnId", this.todo, "title", "T", "description", "keep me",
				"assigneeId", bob.id(), "dueDate", "2026-12-01", "labelIds", List.of(bug), "priority", "HIGH"));
		Map<String, Object> clear = new HashMap<>();
		clear.put("taskId", task);
		clear.put("assigneeId", null);
		clear.put("dueDate", null);
		GraphQlTester.Response cleared = this.alice.graphql()
			.documentName("updateTask")
			.variable("input", clear)
			.execute();
		cleared.path("updateTask.task.assignee").valueIsNull();
		cleared.path("updateTask.task.dueDate").valueIsNull();
		cleared.path("updateTask.task.description").entity(String.class).isEqualTo("keep me");
		cleared.path("updateTask.task.priority").entity(String.class).isEqualTo("HIGH");
		cleared.path("updateTask.task.labels[*].name").entityList(String.class).containsExactly("bug");
	}

	@Test
	void assigneesMustBeMembersAndLabelsOfTheSameBoard() {
		Api.Client stranger = this.api.newUser("stranger");
		GraphQlTester.Response response = this.alice.graphql()
			.documentName("createTask")
			.variable("input", Map.of("columnId", this.todo, "title", "T", "assigneeId", stranger.id()))
			.execute();
		response.errors()
			.satisfy((errors) -> assertThat(errors).singleElement()
				.satisfies((error) -> assertThat(error.getExtensions()).containsEntry("code", "NOT_FOUND")
					.containsEntry("field", "input.assigneeId")));
		String otherBoard = Fixtures.board(this.alice, "Other");
		String foreignLabel = Fixtures.label(this.alice, otherBoard, "x", "#000000");
		this.alice.graphql()
			.documentName("createTask")
			.variable("input", Map.of("columnId", this.todo, "title", "T", "labelIds", List.of(foreignLabel)))
			.execute()
			.errors()
			.satisfy((errors) -> assertThat(errors).singleElement()
				.satisfies((error) -> assertThat(error.getExtensions()).containsEntry("code", "NOT_FOUND")
					.containsEntry("field", "input.labelIds")));
		assertThat(titles(this.todo)).isEmpty();
	}

	@Test
	void boardTasksFilterByColumnAssigneeLabelDueDateAndText() {
		Api.Client bob = this.api.newUser("bob");
		Fixtures.member(this.alice, this.boardId, bob, "EDITOR");
		String bug = Fixtures.label(this.alice, this.boardId, "bug", "#ff0000");
		String ui = Fixtures.label(this.alice, this.boardId, "ui", "#00ff00");
		Fixtures.task(this.alice, Map.of("columnId", this.todo, "title", "Fix login 100% of the time", "labelIds",
				List.of(bug, ui), "assigneeId", bob.id(), "dueDate", "2026-12-01"));
		Fixtures.task(this.alice,
				Map.of("columnId", this.todo, "title", "Write docs", "labelIds", List.of(ui), "dueDate", "2027-01-15"));
		Fixtures.task(this.alice, Map.of("columnId", this.done, "title", "Old bug", "labelIds", List.of(bug),
				"description", "about the LOGIN page"));
		String query = "query($id: ID!, $f: TaskFilter) { board(id: $id) { tasks(filter: $f) { nodes { title } } } }";
		Map<Map<String, Object>, List<String>> cases = Map.of(Map.of("columnId", this.done), List.of("Old bug"),
				Map.of("assigneeId", bob.id()), List.of("Fix login 100% of the time"),
				Map.of("labelIds", List.of(bug, ui)), List.of("Fix login 100% of the time"),
				Map.of("labelIds", List.of(ui)), List.of("Fix login 100% of the time", "Write docs"),
				Map.of("dueBefore", "2026-12-31"), List.of("Fix login 100% of the time"),
				Map.of("dueAfter", "2027-01-01"), List.of("Write docs"), Map.of("text", "login"),
				List.of("Fix login 100% of the time", "Old bug"), Map.of("text", "100%"),
				List.of("Fix login 100% of the time"), Map.of("text", "_"), List.of());
		cases.forEach((filter, expected) -> this.alice.graphql()
			.document(query)
			.variable("id", this.boardId)
			.variable("f", filter)
			.execute()
			.path("board.tasks.nodes[*].title")
			.entityList(String.class)
			.containsExactly(expected.toArray(String[]::new)));
	}

	@Test
	void deletingAColumnWithTasksNeedsATarget() {
		String a = Fixtures.task(this.alice, this.todo, "A");
		Fixtures.task(this.alice, this.todo, "B");
		Fixtures.task(this.alice, this.done, "Z");
		String delete = "mutation($i: DeleteColumnInput!) { deleteColumn(input: $i) { deletedColumnId movedTaskCount } }";
		this.alice.graphql()
			.document(delete)
			.variable("i", Map.of("columnId", this.todo))
			.execute()
			.errors()
			.satisfy((errors) -> assertThat(errors).singleElement()
				.satisfies((error) -> assertThat(error.getExtensions()).containsEntry("code", "BAD_USER_INPUT")
					.containsEntry("field", "input.moveTasksTo")));
		assertThat(titles(this.todo)).containsExactly("A", "B");
		this.alice.graphql()
			.document(delete)
			.variable("i", Map.of("columnId", this.todo, "moveTasksTo", this.done))
			.execute()
			.path("deleteColumn.movedTaskCount")
			.entity(Integer.class)
			.isEqualTo(2);
		assertThat(titles(this.done)).containsExactly("Z", "A", "B");
		this.alice.graphql()
			.document("query($id: ID!) { task(id: $id) { completedAt column { name } } }")
			.variable("id", a)
			.execute()
			.path("task.completedAt")
			.hasValue()
			.path("task.column.name")
			.entity(String.class)
			.isEqualTo("Done");
	}

	@Test
	void columnsAreOrderedAndMovable() {
		String review = this.alice.graphql()
			.documentName("createColumn")
			.variable("input", Map.of("boardId", this.boardId, "name", "Review", "afterId", this.todo))
			.execute()
			.path("createColumn.column.id")
			.entity(String.class)
			.get();
		String columns = "query($id: ID!) { board(id: $id) { columns { name } } }";
		this.alice.graphql()
			.document(columns)
			.variable("id", this.boardId)
			.execute()
			.path("board.columns[*].name")
			.entityList(String.class)
			.containsExactly("Todo", "Review", "Done");
		this.alice.graphql()
			.document("mutation($i: MoveColumnInput!) { moveColumn(input: $i) { column { name } } }")
			.variable("i", Map.of("columnId", this.done, "beforeId", this.todo))
			.execute();
		this.alice.graphql()
			.document(columns)
			.variable("id", this.boardId)
			.execute()
			.path("board.columns[*].name")
			.entityList(String.class)
			.containsExactly("Done", "Todo", "Review");
		String update = "mutation($i: UpdateColumnInput!) { updateColumn(input: $i) { column { wipLimit name } } }";
		this.alice.graphql()
			.document(update)
			.variable("i", Map.of("columnId", review, "wipLimit", 3))
			.execute()
			.path("updateColumn.column.wipLimit")
			.entity(Integer.class)
			.isEqualTo(3);
		this.alice.graphql()
			.document(update)
			.variable("i", Map.of("columnId", review, "name", "QA"))
			.execute()
			.path("updateColumn.column.wipLimit")
			.entity(Integer.class)
			.isEqualTo(3);
		Map<String, Object> clear = new HashMap<>();
		clear.put("columnId", review);
		clear.put("wipLimit", null);
		this.alice.graphql()
			.document(update)
			.variable("i", clear)
			.execute()
			.path("updateColumn.column.wipLimit")
			.valueIsNull();
	}

	@Test
	void commentsAreWrittenByEditorsEditedByAuthorsAndDeletableByOwners() {
		Api.Client bob = this.api.newUser("bob");
		Fixtures.member(this.alice, this.boardId, bob, "EDITOR");
		String task = Fixtures.task(this.alice, this.todo, "Discuss");
		String add = "mutation($i: AddCommentInput!) { addComment(input: $i) { comment { id body author { handle } } } }";
		String bobs = bob.graphql()
			.document(add)
			.variable("i", Map.of("taskId", task, "body", "I'll take it"))
			.execute()
			.path("addComment.comment.id")
			.entity(String.class)
			.get();
		String edit = "mutation($i: EditCommentInput!) { editComment(input: $i) { comment { body editedAt } } }";
		this.alice.graphql()
			.document(edit)
			.variable("i", Map.of("commentId", bobs, "body", "hijack"))
			.execute()
			.errors()
			.satisfy((errors) -> assertThat(errors).singleElement()
				.satisfies((error) -> assertThat(error.getExtensions()).containsEntry("code", "FORBIDDEN")));
		bob.graphql()
			.document(edit)
			.variable("i", Map.of("commentId", bobs, "body", "Taking it"))
			.execute()
			.path("editComment.comment.editedAt")
			.hasValue();
		this.alice.graphql()
			.document(
					"query($id: ID!) { task(id: $id) { commentCount comments { nodes { body author { handle } } } } }")
			.variable("id", task)
			.execute()
			.path("task.commentCount")
			.entity(Integer.class)
			.isEqualTo(1)
			.path("task.comments.nodes[0].body")
			.entity(String.class)
			.isEqualTo("Taking it");
		this.alice.graphql()
			.document("mutation($i: DeleteCommentInput!) { deleteComment(input: $i) { deletedCommentId taskId } }")
			.variable("i", Map.of("commentId", bobs))
			.execute()
			.path("deleteComment.taskId")
			.entity(String.class)
			.isEqualTo(task);
	}

	@Test
	void deletingALabelRemovesItFromTasks() {
		String bug = Fixtures.label(this.alice, this.boardId, "bug", "#ff0000");
		String task = Fixtures.task(this.alice, Map.of("columnId", this.todo, "title", "T", "labelIds", List.of(bug)));
		this.alice.graphql()
			.document("mutation($i: DeleteLabelInput!) { deleteLabel(input: $i) { deletedLabelId } }")
			.variable("i", Map.of("labelId", bug))
			.execute()
			.path("deleteLabel.deletedLabelId")
			.entity(String.class)
			.isEqualTo(bug);
		this.alice.graphql()
			.document("query($id: ID!) { task(id: $id) { labels { id } } }")
			.variable("id", task)
			.execute()
			.path("task.labels")
			.entityList(Object.class)
			.hasSize(0);
	}

}
