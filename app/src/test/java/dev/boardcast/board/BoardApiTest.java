package dev.boardcast.board;

import java.util.List;
import java.util.Map;

import dev.boardcast.support.Api;
import dev.boardcast.support.BoardcastTest;
import dev.boardcast.support.Fixtures;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.graphql.test.tester.GraphQlTester;

import static org.assertj.core.api.Assertions.assertThat;

@BoardcastTest
class BoardApiTest {

	@LocalServerPort
	int port;

	Api api;

	@BeforeEach
	void setUp() {
		this.api = new Api(this.port);
	}

	static void expectCode(GraphQlTester.Response response, String code) {
		response.errors()
			.satisfy((errors) -> assertThat(errors).isNotEmpty()
				.allSatisfy((error) -> assertThat(error.getExtensions()).containsEntry("code", code)));
	}

	@Test
	void creatorIsOwnerAndSeesBoardInTheirList() {
		Api.Client alice = this.api.newUser("alice");
		alice.graphql()
			.documentName("createBoard")
			.variable("input", Map.of("name", "  Launch  ", "description", "Q4"))
			.execute()
			.path("createBoard.board.name")
			.entity(String.class)
			.isEqualTo("Launch")
			.path("createBoard.board.myRole")
			.entity(String.class)
			.isEqualTo("OWNER")
			.path("createBoard.board.lastSeq")
			.entity(Integer.class)
			.isEqualTo(1)
			.path("createBoard.board.createdBy.handle")
			.entity(String.class)
			.isEqualTo(alice.handle());
		alice.graphql()
			.document("{ boards { nodes { name description } } }")
			.execute()
			.path("boards.nodes[*].name")
			.entityList(String.class)
			.containsExactly("Launch");
	}

	@Test
	void boardsArePagedWithCursors() {
		Api.Client alice = this.api.newUser("pager");
		for (int i = 1; i <= 5; i++) {
			Fixtures.board(alice, "Board " + i);
		}
		GraphQlTester.Response first = alice.graphql()
			.document("{ boards(first: 2) { nodes { name } pageInfo { hasNextPage endCursor } } }")
			.execute();
		first.path("boards.nodes[*].name").entityList(String.class).containsExactly("Board 1", "Board 2");
		first.path("boards.pageInfo.hasNextPage").entity(Boolean.class).isEqualTo(true);
		String cursor = first.path("boards.pageInfo.endCursor").entity(String.class).get();
		GraphQlTester.Response rest = alice.graphql()
			.document(
					"query($after: String) { boards(first: 10, after: $after) { nodes { name } pageInfo { hasNextPage } } }")
			.variable("after", cursor)
			.execute();
		rest.path("boards.nodes[*].name").entityList(String.class).containsExactly("Board 3", "Board 4", "Board 5");
		rest.path("boards.pageInfo.hasNextPage").entity(Boolean.class).isEqualTo(false);
	}

	@Test
	void nonMemberGetsNotFoundExactlyAsForAMissingBoard() {
		Api.Client alice = this.api.newUser("owner");
		Api.Client mallory = this.api.newUser("mallory");
		String boardId = Fixtures.board(alice, "Secret");
		String query = "query($id: ID!) { board(id: $id) { name } }";
		GraphQlTester.Response existing = mallory.graphql().document(query).variable("id", boardId).execute();
		GraphQlTester.Response missing = mallory.graphql()
			.document(query)
			.variable("id", "00000000-0000-0000-0000-000000000000")
			.execute();
		GraphQlTester.Response malformed = mallory.graphql().document(query).variable("id", "x'; DROP TABLE").execute();
		for (GraphQlTester.Response response : List.of(existing, missing, malformed)) {
			response.errors().satisfy((errors) -> assertThat(errors).singleElement().satisfies((error) -> {
				assertThat(error.getMessage()).isEqualTo("board not found");
				assertThat(error.getExtensions()).containsEntry("code", "NOT_FOUND").containsEntry("field", "id");
			}));
			response.path("board").valueIsNull();
		}
	}

	@Test
	void membersJoinWithRolesAndTheLastOwnerStays() {
		Api.Client alice = this.api.newUser("alice");
		Api.Client bob = this.api.newUser("bob");
		String boardId = Fixtures.board(alice, "Team");
		Fixtures.member(alice, boardId, bob, "EDITOR");
		bob.graphql()
			.document("query($id: ID!) { board(id: $id) { myRole } }")
			.variable("id", boardId)
			.execute()
			.path("board.myRole")
			.entity(String.class)
			.isEqualTo("EDITOR");
		// A handle is matched case-insensitively.
		expectCode(alice.graphql()
			.documentName("addBoardMember")
			.variable("input", Map.of("boardId", boardId, "handle", bob.handle().toUpperCase(), "role", "VIEWER"))
			.execute(), "BAD_USER_INPUT");
		expectCode(alice.graphql()
			.document("mutation($i: UpdateBoardMemberInput!) { updateBoardMember(input: $i) { member { role } } }")
			.variable("i", Map.of("boardId", boardId, "userId", alice.id(), "role", "EDITOR"))
			.execute(), "BAD_USER_INPUT");
		expectCode(alice.graphql()
			.document("mutation($i: RemoveBoardMemberInput!) { removeBoardMember(input: $i) { removedUserId } }")
			.variable("i", Map.of("boardId", boardId, "userId", alice.id()))
			.execute(), "BAD_USER_INPUT");
		// With a second OWNER, the first may step down.
		alice.graphql()
			.document("mutation($i: UpdateBoardMemberInput!) { updateBoardMember(input: $i) { member { role } } }")
			.variable("i", Map.of("boardId", boardId, "userId", bob.id(), "role", "OWNER"))
			.execute()
			.path("updateBoardMember.member.role")
			.entity(String.class)
			.isEqualTo("OWNER");
		alice.graphql()
			.document("mutation($i: RemoveBoardMemberInput!) { removeBoardMember(input: $i) { removedUserId } }")
			.variable("i", Map.of("boardId", boardId, "userId", alice.id()))
			.execute()
			.path("removeBoardMember.removedUserId")
			.entity(String.class)
			.isEqualTo(alice.id());
		expectCode(alice.graphql()
			.document("query($id: ID!) { board(id: $id) { name } }")
			.variable("id", boardId)
			.execute(), "NOT_FOUND");
	}

	@Test
	void removingAMemberUnassignsTheirTasks() {
		Api.Client alice = this.api.newUser("alice");
		Api.Client bob = this.api.newUser("bob");
		String boardId = Fixtures.board(alice, "Team");
		Fixtures.member(alice, boardId, bob, "EDITOR");
		String columnId = Fixtures.column(alice, boardId, "Todo");
		String taskId = Fixtures.task(alice, Map.of("columnId", columnId, "title", "Ship", "assigneeId", bob.id()));
		alice.graphql()
			.document("mutation($i: RemoveBoardMemberInput!) { removeBoardMember(input: $i) { removedUserId } }")
			.variable("i", Map.of("boardId", boardId, "userId", bob.id()))
			.execute();
		alice.graphql()
			.document("query($id: ID!) { task(id: $id) { assignee { id } } }")
			.variable("id", taskId)
			.execute()
			.path("task.assignee")
			.valueIsNull();
	}

	@Test
	void updateBoardChecksTheExpectedVersionAndReturnsTheCurrentBoard() {
		Api.Client alice = this.api.newUser("alice");
		String boardId = Fixtures.board(alice, "Old");
		String update = "mutation($i: UpdateBoardInput!) { updateBoard(input: $i) { board { name version } } }";
		alice.graphql()
			.document(update)
			.variable("i", Map.of("boardId", boardId, "name", "New", "expectedVersion", 1))
			.execute()
			.path("updateBoard.board.version")
			.entity(Integer.class)
			.isEqualTo(2);
		GraphQlTester.Response stale = alice.graphql()
			.document(update)
			.variable("i", Map.of("boardId", boardId, "name", "Stale", "expectedVersion", 1))
			.execute();
		expectCode(stale, "CONFLICT");
		stale.path("updateBoard.board.name").entity(String.class).isEqualTo("New");
		stale.path("updateBoard.board.version").entity(Integer.class).isEqualTo(2);
	}

	@Test
	void deletedBoardIsGoneForEveryone() {
		Api.Client alice = this.api.newUser("alice");
		String boardId = Fixtures.board(alice, "Temp");
		Fixtures.task(alice, Fixtures.column(alice, boardId, "Todo"), "A task");
		alice.graphql()
			.document("mutation($i: DeleteBoardInput!) { deleteBoard(input: $i) { deletedBoardId } }")
			.variable("i", Map.of("boardId", boardId))
			.execute()
			.path("deleteBoard.deletedBoardId")
			.entity(String.class)
			.isEqualTo(boardId);
		expectCode(alice.graphql()
			.document("query($id: ID!) { board(id: $id) { name } }")
			.variable("id", boardId)
			.execute(), "NOT_FOUND");
	}

	@Test
	void handlesAreValidatedAndUniqueCaseInsensitively() {
		Api.Client alice = this.api.newUser("alice");
		Api.Client bob = this.api.newUser("bob");
		String update = "mutation($i: UpdateMeInput!) { updateMe(input: $i) { user { handle displayName } } }";
		expectCode(alice.graphql().document(update).variable("i", Map.of("handle", "no")).execute(), "BAD_USER_INPUT");
		expectCode(alice.graphql().document(update).variable("i", Map.of("handle", "has space")).execute(),
				"BAD_USER_INPUT");
		expectCode(
				alice.graphql().document(update).variable("i", Map.of("handle", bob.handle().toUpperCase())).execute(),
				"BAD_USER_INPUT");
		String fresh = "Renamed_" + System.nanoTime() % 100000;
		alice.graphql()
			.document(update)
			.variable("i", Map.of("handle", fresh, "displayName", "Alice A."))
			.execute()
			.path("updateMe.user.displayName")
			.entity(String.class)
			.isEqualTo("Alice A.");
		alice.graphql().document("{ me { handle } }").execute().path("me.handle").entity(String.class).isEqualTo(fresh);
	}

}
