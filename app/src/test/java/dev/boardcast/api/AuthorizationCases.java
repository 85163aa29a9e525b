package dev.boardcast.api;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import dev.boardcast.support.Api;

/**
 * The one table of authorization cases, which {@link AuthorizationTest} runs and checks
 * against the schema: a role case for every root field, and an object-level case for
 * every id an operation takes (or a reason why it needs none).
 */
final class AuthorizationCases {

	private AuthorizationCases() {
	}

	/** Who calls. */
	enum Role {

		OWNER, EDITOR, VIEWER, NON_MEMBER, ANONYMOUS;

		/** The signed-in roles. */
		static final Set<Role> SIGNED_IN = Set.of(OWNER, EDITOR, VIEWER, NON_MEMBER);

		static final Set<Role> MEMBERS = Set.of(OWNER, EDITOR, VIEWER);

		static final Set<Role> EDITORS = Set.of(OWNER, EDITOR);

	}

	enum Operation {

		QUERY, MUTATION, SUBSCRIPTION

	}

	/**
	 * Board A with one member of each role and one of everything on it; board B, whose
	 * OWNER is A's OWNER too, and where the outsider (no member of A) is an EDITOR.
	 */
	record Scene(Api.Client owner, Api.Client editor, Api.Client viewer, Api.Client stranger, Api.Client outsider,
			String board, String column, String otherColumn, String task, String otherTask, String label,
			String comment, String boardB, String columnB, String taskB, String labelB, String commentB) {

		Api.Client as(Role role) {
			return switch (role) {
				case OWNER -> this.owner;
				case EDITOR -> this.editor;
				case VIEWER -> this.viewer;
				case NON_MEMBER -> this.stranger;
				case ANONYMOUS -> throw new IllegalArgumentException("anonymous has no client");
			};
		}

	}

	/**
	 * A root field called by each role on board A.
	 *
	 * @param selection the field with its arguments and selection, using {@code $i} (the
	 * input), {@code $id} or {@code $b}/{@code $t}
	 * @param allowed the roles it succeeds for; others get NOT_FOUND (non-members),
	 * FORBIDDEN (members) or HTTP 401 / 4401 (anonymous)
	 * @param seqDelta how an allowed call moves board A's lastSeq (null: not checked)
	 */
	record RoleCase(String field, String selection, Function<Scene, Map<String, Object>> variables, Set<Role> allowed,
			Integer seqDelta) {
	}

	private static RoleCase mutation(String field, String selection, Function<Scene, Map<String, Object>> input,
			Set<Role> allowed) {
		return new RoleCase(field, selection, (scene) -> Map.of("i", input.apply(scene)), allowed, 1);
	}

	static final List<RoleCase> ROLE_CASES = List.of(
			// queries
			new RoleCase("me", "me { id }", (s) -> Map.of(), Role.SIGNED_IN, 0),
			new RoleCase("boards", "boards(first: 100) { nodes { id } }", (s) -> Map.of(), Role.SIGNED_IN, 0),
			new RoleCase("board", "board(id: $id) { id lastSeq }", (s) -> Map.of("id", s.board()), Role.MEMBERS, 0),
			new RoleCase("task", "task(id: $id) { id title }", (s) -> Map.of("id", s.task()), Role.MEMBERS, 0),
			new RoleCase("boardEvents", "boardEvents(boardId: $b) { nodes { seq } }", (s) -> Map.of("b", s.board()),
					Role.MEMBERS, 0),
			// subscriptions (over WebSocket)
			new RoleCase("boardChanged", "boardChanged(boardId: $b, after: $after) { seq kind }",
					(s) -> Map.of("b", s.board()), Role.MEMBERS, null),
			new RoleCase("taskChanged", "taskChanged(boardId: $b, taskId: $t, after: $after) { seq kind }",
					(s) -> Map.of("b", s.board(), "t", s.task()), Role.MEMBERS, null),
			// mutations of no board
			new RoleCase("updateMe", "updateMe(input: $i) { user { id } }",
					(s) -> Map.of("i", Map.of("displayName", "Renamed")), Role.SIGNED_IN, 0),
			new RoleCase("createBoard", "createBoard(input: $i) { board { id myRole } }",
					(s) -> Map.of("i", Map.of("name", "Mine")), Role.SIGNED_IN, 0),
			// mutations of board A
			mutation("updateBoard", "updateBoard(input: $i) { board { id } }",
					(s) -> Map.of("boardId", s.board(), "name", "N"), Set.of(Role.OWNER)),
			new RoleCase("deleteBoard", "deleteBoard(input: $i) { deletedBoardId }",
					(s) -> Map.of("i", Map.of("boardId", s.board())), Set.of(Role.OWNER), null),
			mutation("addBoardMember", "addBoardMember(input: $i) { member { role } }",
					(s) -> Map.of("boardId", s.board(), "handle", s.stranger().handle(), "role", "VIEWER"),
					Set.of(Role.OWNER)),
			mutation("updateBoardMember", "updateBoardMember(input: $i) { member { role } }",
					(s) -> Map.of("boardId", s.board(), "userId", s.viewer().id(), "role", "EDITOR"),
					Set.of(Role.OWNER)),
			// any member may remove themselves: here the VIEWER is removed
			mutation("removeBoardMember", "removeBoardMember(input: $i) { removedUserId }",
					(s) -> Map.of("boardId", s.board(), "userId", s.viewer().id()), Set.of(Role.OWNER, Role.VIEWER)),
			mutation("createColumn", "createColumn(input: $i) { column { id } }",
					(s) -> Map.of("boardId", s.board(), "name", "C"), Role.EDITORS),
			mutation("updateColumn", "updateColumn(input: $i) { column { id } }",
					(s) -> Map.of("columnId", s.column(), "name", "C2"), Role.EDITORS),
			mutation("moveColumn", "moveColumn(input: $i) { column { id } }",
					(s) -> Map.of("columnId", s.column(), "afterId", s.otherColumn()), Role.EDITORS),
			mutation("deleteColumn", "deleteColumn(input: $i) { deletedColumnId }",
					(s) -> Map.of("columnId", s.column(), "moveTasksTo", s.otherColumn()), Role.EDITORS),
			mutation("createLabel", "createLabel(input: $i) { label { id } }",
					(s) -> Map.of("boardId", s.board(), "name", "new", "color", "#123456"), Role.EDITORS),
			mutation("updateLabel", "updateLabel(input: $i) { label { id } }",
					(s) -> Map.of("labelId", s.label(), "name", "renamed"), Role.EDITORS),
			mutation("deleteLabel", "deleteLabel(input: $i) { deletedLabelId }", (s) -> Map.of("labelId", s.label()),
					Role.EDITORS),
			mutation("createTask", "createTask(input: $i) { task { id } }",
					(s) -> Map.of("columnId", s.column(), "title", "T"), Role.EDITORS),
			mutation("updateTask", "updateTask(input: $i) { task { id } }",
					(s) -> Map.of("taskId", s.task(), "title", "T2"), Role.EDITORS),
			mutation("moveTask", "moveTask(input: $i) { task { id } }",
					(s) -> Map.of("taskId", s.task(), "columnId", s.otherColumn()), Role.EDITORS),
			mutation("deleteTask", "deleteTask(input: $i) { deletedTaskId }", (s) -> Map.of("taskId", s.task()),
					Role.EDITORS),
			mutation("addComment", "addComment(input: $i) { comment { id } }",
					(s) -> Map.of("taskId", s.task(), "body", "hi"), Role.EDITORS),
			// the comment is the EDITOR's: only its author edits it
			mutation("editComment", "editComment(input: $i) { comment { id } }",
					(s) -> Map.of("commentId", s.comment(), "body", "edited"), Set.of(Role.EDITOR)),
			mutation("deleteComment", "deleteComment(input: $i) { deletedCommentId }",
					(s) -> Map.of("commentId", s.comment()), Role.EDITORS));

	/** Who calls in an object-level case. */
	enum Actor {

		/** OWNER of both boards: a refusal is never about the role. */
		OWNER,
		/** VIEWER of board A. */
		VIEWER,
		/** EDITOR of board B, no member of board A. */
		OUTSIDER

	}

	/**
	 * An id from the wrong place, refused with {@code code} naming {@code errorField},
	 * changing nothing on either board.
	 *
	 * @param path the argument or input field, as {@code field.argument[.inputField]}
	 */
	record ObjectCase(String path, String description, Actor actor, String selection,
			Function<Scene, Map<String, Object>> variables, String code, String errorField) {

		String field() {
			return this.path.substring(0, this.path.indexOf('.'));
		}

		@Override
		public String toString() {
			return this.path + ": " + this.description;
		}

	}

	private static ObjectCase notFound(String path, String description, Actor actor, String selection,
			Function<Scene, Map<String, Object>> input) {
		String argument = path.substring(path.indexOf('.') + 1);
		return new ObjectCase(path, description, actor, selection, (s) -> Map.of("i", input.apply(s)), "NOT_FOUND",
				argument);
	}

	private static ObjectCase argumentNotFound(String path, String description, Actor actor, String selection,
			Function<Scene, Map<String, Object>> variables) {
		return new ObjectCase(path, description, actor, selection, variables, "NOT_FOUND",
				path.substring(path.indexOf('.') + 1));
	}

	static final String NOT_A_MEMBER = "an id of board A, whose caller is no member of it";

	static final List<ObjectCase> OBJECT_CASES = List.of(
			// queries
			argumentNotFound("board.id", NOT_A_MEMBER, Actor.OUTSIDER, "board(id: $id) { id }",
					(s) -> Map.of("id", s.board())),
			argumentNotFound("task.id", NOT_A_MEMBER, Actor.OUTSIDER, "task(id: $id) { id }",
					(s) -> Map.of("id", s.task())),
			argumentNotFound("boardEvents.boardId", NOT_A_MEMBER, Actor.OUTSIDER,
					"boardEvents(boardId: $b) { nodes { seq } }", (s) -> Map.of("b", s.board())),
			// subscriptions
			argumentNotFound("boardChanged.boardId", NOT_A_MEMBER, Actor.OUTSIDER, "boardChanged(boardId: $b) { seq }",
					(s) -> Map.of("b", s.board())),
			argumentNotFound("taskChanged.boardId", NOT_A_MEMBER, Actor.OUTSIDER, "taskChanged(boardId: $b) { seq }",
					(s) -> Map.of("b", s.board())),
			argumentNotFound("taskChanged.taskId", "a task of board B with board A", Actor.OWNER,
					"taskChanged(boardId: $b, taskId: $t) { seq }", (s) -> Map.of("b", s.board(), "t", s.taskB())),
			argumentNotFound("taskChanged.taskId", "a task of board A with board B", Actor.OWNER,
					"taskChanged(boardId: $b, taskId: $t) { seq }", (s) -> Map.of("b", s.boardB(), "t", s.task())),
			// boards and members
			notFound("updateBoard.input.boardId", NOT_A_MEMBER, Actor.OUTSIDER,
					"updateBoard(input: $i) { board { id } }", (s) -> Map.of("boardId", s.board(), "name", "Taken")),
			notFound("deleteBoard.input.boardId", NOT_A_MEMBER, Actor.OUTSIDER,
					"deleteBoard(input: $i) { deletedBoardId }", (s) -> Map.of("boardId", s.board())),
			notFound("addBoardMember.input.boardId", NOT_A_MEMBER, Actor.OUTSIDER,
					"addBoardMember(input: $i) { member { role } }",
					(s) -> Map.of("boardId", s.board(), "handle", s.outsider().handle(), "role", "OWNER")),
			notFound("updateBoardMember.input.boardId", NOT_A_MEMBER, Actor.OUTSIDER,
					"updateBoardMember(input: $i) { member { role } }",
					(s) -> Map.of("boardId", s.board(), "userId", s.outsider().id(), "role", "OWNER")),
			notFound("updateBoardMember.input.userId", "a member of board B only", Actor.OWNER,
					"updateBoardMember(input: $i) { member { role } }",
					(s) -> Map.of("boardId", s.board(), "userId", s.outsider().id(), "role", "EDITOR")),
			notFound("removeBoardMember.input.boardId", NOT_A_MEMBER, Actor.OUTSIDER,
					"removeBoardMember(input: $i) { removedUserId }",
					(s) -> Map.of("boardId", s.board(), "userId", s.viewer().id())),
			notFound("removeBoardMember.input.userId", "a member of board B only", Actor.OWNER,
					"removeBoardMember(input: $i) { removedUserId }",
					(s) -> Map.of("boardId", s.board(), "userId", s.outsider().id())),
			// columns
			notFound("createColumn.input.boardId", NOT_A_MEMBER, Actor.OUTSIDER,
					"createColumn(input: $i) { column { id } }", (s) -> Map.of("boardId", s.board(), "name", "C")),
			notFound("createColumn.input.afterId", "a column of board B on board A", Actor.OWNER,
					"createColumn(input: $i) { column { id } }",
					(s) -> Map.of("boardId", s.board(), "name", "C", "afterId", s.columnB())),
			notFound("updateColumn.input.columnId", NOT_A_MEMBER, Actor.OUTSIDER,
					"updateColumn(input: $i) { column { id } }", (s) -> Map.of("columnId", s.column(), "name", "C")),
			notFound("moveColumn.input.columnId", NOT_A_MEMBER, Actor.OUTSIDER,
					"moveColumn(input: $i) { column { id } }", (s) -> Map.of("columnId", s.column())),
			notFound("moveColumn.input.afterId", "a column of board B as neighbour", Actor.OWNER,
					"moveColumn(input: $i) { column { id } }",
					(s) -> Map.of("columnId", s.column(), "afterId", s.columnB())),
			notFound("moveColumn.input.beforeId", "a column of board B as neighbour", Actor.OWNER,
					"moveColumn(input: $i) { column { id } }",
					(s) -> Map.of("columnId", s.column(), "beforeId", s.columnB())),
			notFound("deleteColumn.input.columnId", NOT_A_MEMBER, Actor.OUTSIDER,
					"deleteColumn(input: $i) { deletedColumnId }", (s) -> Map.of("columnId", s.otherColumn())),
			notFound("deleteColumn.input.moveTasksTo", "tasks of board A moved to a column of board B", Actor.OWNER,
					"deleteColumn(input: $i) { deletedColumnId }",
					(s) -> Map.of("columnId", s.column(), "moveTasksTo", s.columnB())),
			notFound("deleteColumn.input.moveTasksTo", "an empty column, with a column of board B as target",
					Actor.OWNER, "deleteColumn(input: $i) { deletedColumnId }",
					(s) -> Map.of("columnId", s.otherColumn(), "moveTasksTo", s.columnB())),
			// labels
			notFound("createLabel.input.boardId", NOT_A_MEMBER, Actor.OUTSIDER,
					"createLabel(input: $i) { label { id } }",
					(s) -> Map.of("boardId", s.board(), "name", "x", "color", "#000000")),
			notFound("updateLabel.input.labelId", NOT_A_MEMBER, Actor.OUTSIDER,
					"updateLabel(input: $i) { label { id } }", (s) -> Map.of("labelId", s.label(), "name", "y")),
			notFound("deleteLabel.input.labelId", NOT_A_MEMBER, Actor.OUTSIDER,
					"deleteLabel(input: $i) { deletedLabelId }", (s) -> Map.of("labelId", s.label())),
			// tasks
			notFound("createTask.input.columnId", NOT_A_MEMBER, Actor.OUTSIDER, "createTask(input: $i) { task { id } }",
					(s) -> Map.of("columnId", s.column(), "title", "T")),
			notFound("createTask.input.assigneeId", "a member of board B only as assignee on board A", Actor.OWNER,
					"createTask(input: $i) { task { id } }",
					(s) -> Map.of("columnId", s.column(), "title", "T", "assigneeId", s.outsider().id())),
			notFound("createTask.input.assigneeId", "a member of board A only as assignee on board B", Actor.OWNER,
					"createTask(input: $i) { task { id } }",
					(s) -> Map.of("columnId", s.columnB(), "title", "T", "assigneeId", s.editor().id())),
			notFound("createTask.input.labelIds", "a label of board B among labels of board A", Actor.OWNER,
					"createTask(input: $i) { task { id } }",
					(s) -> Map.of("columnId", s.column(), "title", "T", "labelIds", List.of(s.label(), s.labelB()))),
			notFound("createTask.input.labelIds", "a label of board A on board B", Actor.OWNER,
					"createTask(input: $i) { task { id } }",
					(s) -> Map.of("columnId", s.columnB(), "title", "T", "labelIds", List.of(s.label()))),
			notFound("createTask.input.afterId", "a task of board B as neighbour", Actor.OWNER,
					"createTask(input: $i) { task { id } }",
					(s) -> Map.of("columnId", s.column(), "title", "T", "afterId", s.taskB())),
			notFound("createTask.input.afterId", "a task of board A as neighbour on board B", Actor.OWNER,
					"createTask(input: $i) { task { id } }",
					(s) -> Map.of("columnId", s.columnB(), "title", "T", "afterId", s.task())),
			notFound("createTask.input.beforeId", "a task of board B as neighbour", Actor.OWNER,
					"createTask(input: $i) { task { id } }",
					(s) -> Map.of("columnId", s.column(), "title", "T", "beforeId", s.taskB())),
			notFound("updateTask.input.taskId", NOT_A_MEMBER, Actor.OUTSIDER, "updateTask(input: $i) { task { id } }",
					(s) -> Map.of("taskId", s.task(), "title", "T")),
			notFound("updateTask.input.assigneeId", "a member of board B only as assignee", Actor.OWNER,
					"updateTask(input: $i) { task { id } }",
					(s) -> Map.of("taskId", s.task(), "assigneeId", s.outsider().id())),
			notFound("updateTask.input.labelIds", "a label of board B", Actor.OWNER,
					"updateTask(input: $i) { task { id } }",
					(s) -> Map.of("taskId", s.task(), "labelIds", List.of(s.labelB()))),
			notFound("moveTask.input.taskId", NOT_A_MEMBER, Actor.OUTSIDER, "moveTask(input: $i) { task { id } }",
					(s) -> Map.of("taskId", s.task(), "columnId", s.otherColumn())),
			notFound("moveTask.input.columnId", "a column of board B as target", Actor.OWNER,
					"moveTask(input: $i) { task { id } }", (s) -> Map.of("taskId", s.task(), "columnId", s.columnB())),
			notFound("moveTask.input.afterId", "a task of board B as neighbour", Actor.OWNER,
					"moveTask(input: $i) { task { id } }", (s) -> Map.of("taskId", s.task(), "afterId", s.taskB())),
			notFound("moveTask.input.beforeId", "a task of board B as neighbour", Actor.OWNER,
					"moveTask(input: $i) { task { id } }", (s) -> Map.of("taskId", s.task(), "beforeId", s.taskB())),
			notFound("deleteTask.input.taskId", NOT_A_MEMBER, Actor.OUTSIDER, "deleteTask(input: $i) { deletedTaskId }",
					(s) -> Map.of("taskId", s.task())),
			// comments
			notFound("addComment.input.taskId", NOT_A_MEMBER, Actor.OUTSIDER,
					"addComment(input: $i) { comment { id } }", (s) -> Map.of("taskId", s.task(), "body", "hi")),
			notFound("editComment.input.commentId", NOT_A_MEMBER, Actor.OUTSIDER,
					"editComment(input: $i) { comment { id } }",
					(s) -> Map.of("commentId", s.comment(), "body", "mine now")),
			new ObjectCase("editComment.input.commentId", "a comment on a board where the caller is VIEWER",
					Actor.VIEWER, "editComment(input: $i) { comment { id } }",
					(s) -> Map.of("i", Map.of("commentId", s.comment(), "body", "mine now")), "FORBIDDEN", null),
			new ObjectCase("editComment.input.commentId", "another author's comment on the caller's own board B",
					Actor.OWNER, "editComment(input: $i) { comment { id } }",
					(s) -> Map.of("i", Map.of("commentId", s.commentB(), "body", "mine now")), "FORBIDDEN", null),
			notFound("deleteComment.input.commentId", NOT_A_MEMBER, Actor.OUTSIDER,
					"deleteComment(input: $i) { deletedCommentId }", (s) -> Map.of("commentId", s.comment())),
			new ObjectCase("deleteComment.input.commentId", "a comment on a board where the caller is VIEWER",
					Actor.VIEWER, "deleteComment(input: $i) { deletedCommentId }",
					(s) -> Map.of("i", Map.of("commentId", s.comment())), "FORBIDDEN", null));

	/**
	 * Arguments and input fields that look like ids (type ID, or a name ending in
	 * {@code Id} / {@code Ids}) but need no object-level case, by name, with the reason.
	 */
	static final Map<String, String> NOT_OBJECT_IDS = Map.of("clientMutationId",
			"the client's own key that makes a create idempotent; it names no entity and points into no board");

}
