package dev.boardcast.events;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.boardcast.support.Api;
import dev.boardcast.support.BoardcastTest;
import dev.boardcast.support.Fixtures;
import graphql.TrivialDataFetcher;
import graphql.schema.FieldCoordinates;
import graphql.schema.GraphQLSchema;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.graphql.execution.GraphQlSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An event's state fields: what changed, as committed, under the field of its kind, and
 * null under the others.
 */
@BoardcastTest
class EventStateFieldsTest {

	static final List<String> STATE_FIELDS = List.of("member", "column", "label", "task", "comment");

	@LocalServerPort
	int port;

	@Test
	@SuppressWarnings({ "unchecked", "rawtypes" })
	void eachEventShowsTheStateOfWhatChangedUnderItsKindsFieldOnly() {
		Api api = new Api(this.port);
		Api.Client alice = api.newUser("states");
		Api.Client bob = api.newUser("statemember");
		String board = Fixtures.board(alice, "States");
		Fixtures.member(alice, board, bob, "EDITOR");
		String column = Fixtures.column(alice, board, "Todo");
		Fixtures.label(alice, board, "bug", "#ff0000");
		String task = Fixtures.task(alice, column, "Write it");
		alice.graphql()
			.document("mutation($i: AddCommentInput!) { addComment(input: $i) { comment { id } } }")
			.variable("i", Map.of("taskId", task, "body", "on it"))
			.execute();
		alice.graphql()
			.document("mutation($i: DeleteTaskInput!) { deleteTask(input: $i) { deletedTaskId } }")
			.variable("i", Map.of("taskId", task))
			.execute();

		List<Map> events = alice.graphql()
			.document("query($b: ID!) { boardEvents(boardId: $b, first: 100) { nodes { kind "
					+ "member { role user { handle } } column { name } label { name color } task { title } "
					+ "comment { body } } } }")
			.variable("b", board)
			.execute()
			.path("boardEvents.nodes")
			.entityList(Map.class)
			.get();

		Map<String, Map<String, Object>> byKind = new HashMap<>();
		events.forEach((event) -> byKind.put((String) event.get("kind"), event));
		assertThat(byKind).containsKeys("MEMBER_ADDED", "COLUMN_CREATED", "LABEL_CREATED", "TASK_CREATED",
				"COMMENT_ADDED", "TASK_DELETED");
		assertOnly(byKind.get("MEMBER_ADDED"), "member",
				Map.of("role", "EDITOR", "user", Map.of("handle", bob.handle())));
		assertOnly(byKind.get("COLUMN_CREATED"), "column", Map.of("name", "Todo"));
		assertOnly(byKind.get("LABEL_CREATED"), "label", Map.of("name", "bug", "color", "#ff0000"));
		assertOnly(byKind.get("TASK_CREATED"), "task", Map.of("title", "Write it"));
		assertOnly(byKind.get("COMMENT_ADDED"), "comment", Map.of("body", "on it"));
		// a deleted task has no state: every field is null
		STATE_FIELDS.forEach((field) -> assertThat(byKind.get("TASK_DELETED")).containsEntry(field, null));
		STATE_FIELDS.forEach((field) -> assertThat(byKind.get("BOARD_CREATED")).containsEntry(field, null));
	}

	private static void assertOnly(Map<String, Object> event, String field, Map<String, Object> state) {
		assertThat(event.get(field)).as(event.get("kind") + "." + field).isEqualTo(state);
		STATE_FIELDS.stream()
			.filter((other) -> !other.equals(field))
			.forEach((other) -> assertThat(event).as(event.get("kind") + "." + other).containsEntry(other, null));
	}

	/**
	 * Every subscriber runs these for every event: they must stay trivial data fetchers,
	 * which Spring for GraphQL calls without a context snapshot around each call.
	 */
	@Test
	void theStateFieldsAreTrivialDataFetchers(@Autowired GraphQlSource source) {
		GraphQLSchema schema = source.schema();
		Map<String, List<String>> fields = Map.of("BoardEvent", STATE_FIELDS, "TaskEvent", List.of("task", "comment"));
		fields.forEach((type,
				names) -> names.forEach((name) -> assertThat(schema.getCodeRegistry()
					.getDataFetcher(FieldCoordinates.coordinates(type, name),
							schema.getObjectType(type).getFieldDefinition(name)))
					.as(type + "." + name)
					.isInstanceOf(TrivialDataFetcher.class)));
	}

}
