package dev.boardcast.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.boardcast.support.Api;
import dev.boardcast.support.BoardcastTest;
import dev.boardcast.support.Fixtures;
import dev.boardcast.support.SqlCounter;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A board read costs a fixed number of SQL statements, however many tasks it holds (no
 * N+1).
 */
@BoardcastTest
class SqlStatementCountTest {

	static final String BOARD_READ = """
			query($id: ID!) { board(id: $id) { name columns { name taskCount
			  tasks(first: 100) { nodes { id number title priority dueDate commentCount
			    assignee { handle } createdBy { handle } labels { name color } column { name } } } } } }""";

	@LocalServerPort
	int port;

	@Autowired
	SqlCounter sql;

	@Test
	void boardReadUsesAFixedNumberOfStatements() {
		Api api = new Api(this.port);
		Api.Client owner = api.newUser("owner");
		List<Api.Client> members = new ArrayList<>();
		for (int i = 0; i < 4; i++) {
			members.add(api.newUser("member"));
		}
		String small = board(owner, members, 1);
		String large = board(owner, members, 200);
		long smallCount = statementsOf(owner, small);
		long largeCount = statementsOf(owner, large);
		System.out.printf("Board read: %d statements for 5 tasks, %d for 1,000 tasks%n", smallCount, largeCount);
		assertThat(largeCount).isEqualTo(smallCount).isLessThanOrEqualTo(10);
	}

	/** 5 columns × {@code perColumn} tasks with assignees and 0 to 3 labels. */
	String board(Api.Client owner, List<Api.Client> members, int perColumn) {
		String board = Fixtures.board(owner, "Count " + perColumn);
		for (Api.Client member : members) {
			Fixtures.member(owner, board, member, "EDITOR");
		}
		List<String> labels = new ArrayList<>();
		for (int l = 0; l < 5; l++) {
			labels.add(Fixtures.label(owner, board, "label" + l, "#00000" + l));
		}
		for (int c = 0; c < 5; c++) {
			String column = Fixtures.column(owner, board, "Column " + c);
			for (int t = 0; t < perColumn; t++) {
				int n = c * perColumn + t;
				Fixtures.task(owner, Map.of("columnId", column, "title", "Task " + n, "assigneeId",
						members.get(n % members.size()).id(), "labelIds", labels.subList(0, n % 4)));
			}
		}
		return board;
	}

	long statementsOf(Api.Client client, String board) {
		long before = this.sql.statements();
		client.graphql()
			.document(BOARD_READ)
			.variable("id", board)
			.execute()
			.path("board.columns[*].tasks.nodes[*].assignee.handle")
			.entityList(String.class)
			.satisfies((handles) -> assertThat(handles).isNotEmpty().doesNotContainNull());
		return this.sql.statements() - before;
	}

}
