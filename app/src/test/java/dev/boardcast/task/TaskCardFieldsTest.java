package dev.boardcast.task;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.boardcast.support.Api;
import dev.boardcast.support.BoardcastTest;
import dev.boardcast.support.Fixtures;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A column's tasks bring their assignees and labels along (TaskCardFields); whichever way
 * a task is reached, through a column's nodes or edges, alone or in a subscription-like
 * nested path, it shows the same assignee and the same labels in name order.
 */
@BoardcastTest
class TaskCardFieldsTest {

	static final String CARD = "id assignee { handle } labels { name }";

	@LocalServerPort
	int port;

	@Test
	@SuppressWarnings("unchecked")
	void everyPathToATaskShowsTheSameAssigneeAndLabels() {
		Api api = new Api(this.port);
		Api.Client owner = api.newUser("cards");
		Api.Client member = api.newUser("cardmate");
		String board = Fixtures.board(owner, "Cards");
		Fixtures.member(owner, board, member, "EDITOR");
		List<String> labels = new ArrayList<>();
		for (String name : List.of("zeta", "Alpha", "mid")) {
			labels.add(Fixtures.label(owner, board, name, "#112233"));
		}
		String todo = Fixtures.column(owner, board, "Todo");
		String done = Fixtures.column(owner, board, "Done");
		Fixtures.task(owner,
				Map.of("columnId", todo, "title", "all labels", "assigneeId", member.id(), "labelIds", labels));
		Fixtures.task(owner,
				Map.of("columnId", todo, "title", "unassigned, one label", "labelIds", labels.subList(2, 3)));
		Fixtures.task(owner, Map.of("columnId", done, "title", "owner's, no label", "assigneeId", owner.id()));

		List<Map<String, Object>> nodes = owner.graphql()
			.document("query($id: ID!) { board(id: $id) { columns { tasks(first: 10) { nodes { " + CARD + " } } } } }")
			.variable("id", board)
			.execute()
			.path("board.columns[*].tasks.nodes[*]")
			.entityList(Map.class)
			.get()
			.stream()
			.map((node) -> (Map<String, Object>) node)
			.toList();
		List<Map<String, Object>> edges = owner.graphql()
			.document("query($id: ID!) { board(id: $id) { columns { tasks(first: 10) { edges { node { " + CARD
					+ " } } } } } }")
			.variable("id", board)
			.execute()
			.path("board.columns[*].tasks.edges[*].node")
			.entityList(Map.class)
			.get()
			.stream()
			.map((node) -> (Map<String, Object>) node)
			.toList();
		Map<String, Map<String, Object>> alone = new HashMap<>();
		for (Map<String, Object> node : nodes) {
			alone.put((String) node.get("id"),
					owner.graphql()
						.document("query($id: ID!) { task(id: $id) { " + CARD + " } }")
						.variable("id", node.get("id"))
						.execute()
						.path("task")
						.entity(Map.class)
						.get());
		}

		assertThat(nodes).hasSize(3).containsExactlyElementsOf(edges);
		for (Map<String, Object> node : nodes) {
			assertThat(node).isEqualTo(alone.get(node.get("id")));
		}
		assertThat(nodes.get(0))
			.isEqualTo(Map.of("id", nodes.get(0).get("id"), "assignee", Map.of("handle", member.handle()), "labels",
					List.of(Map.of("name", "Alpha"), Map.of("name", "mid"), Map.of("name", "zeta"))));
		assertThat(nodes.get(1)).containsEntry("assignee", null)
			.containsEntry("labels", List.of(Map.of("name", "mid")));
		assertThat(nodes.get(2)).containsEntry("assignee", Map.of("handle", owner.handle()))
			.containsEntry("labels", List.of());

		// a task reached below a page (its column's page, through the task) still
		// resolves
		List<Object> nested = owner.graphql()
			.document("query($id: ID!) { board(id: $id) { columns { tasks(first: 10) { nodes { "
					+ "column { tasks(first: 10) { nodes { " + CARD + " } } } } } } } }")
			.variable("id", board)
			.execute()
			.path("board.columns[0].tasks.nodes[0].column.tasks.nodes[*]")
			.entityList(Object.class)
			.get();
		assertThat(nested).containsExactlyElementsOf(nodes.subList(0, 2));
	}

}
