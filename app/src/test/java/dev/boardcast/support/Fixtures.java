package dev.boardcast.support;

import java.util.Map;

/** Builds boards through the API, as a client would. */
public final class Fixtures {

	private Fixtures() {
	}

	public static String board(Api.Client owner, String name) {
		return owner.graphql()
			.documentName("createBoard")
			.variable("input", Map.of("name", name))
			.execute()
			.path("createBoard.board.id")
			.entity(String.class)
			.get();
	}

	public static String column(Api.Client user, String boardId, String name) {
		return user.graphql()
			.documentName("createColumn")
			.variable("input", Map.of("boardId", boardId, "name", name))
			.execute()
			.path("createColumn.column.id")
			.entity(String.class)
			.get();
	}

	public static String task(Api.Client user, String columnId, String title) {
		return task(user, Map.of("columnId", columnId, "title", title));
	}

	public static String task(Api.Client user, Map<String, Object> input) {
		return user.graphql()
			.documentName("createTask")
			.variable("input", input)
			.execute()
			.path("createTask.task.id")
			.entity(String.class)
			.get();
	}

	public static String label(Api.Client user, String boardId, String name, String color) {
		return user.graphql()
			.documentName("createLabel")
			.variable("input", Map.of("boardId", boardId, "name", name, "color", color))
			.execute()
			.path("createLabel.label.id")
			.entity(String.class)
			.get();
	}

	public static void member(Api.Client owner, String boardId, Api.Client user, String role) {
		owner.graphql()
			.documentName("addBoardMember")
			.variable("input", Map.of("boardId", boardId, "handle", user.handle(), "role", role))
			.execute()
			.path("addBoardMember.member.role")
			.entity(String.class)
			.isEqualTo(role);
	}

}
