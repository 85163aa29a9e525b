package dev.boardcast.events;

import java.util.Map;

import dev.boardcast.support.Api;
import dev.boardcast.support.BoardcastTest;
import dev.boardcast.support.Fixtures;
import dev.boardcast.support.WsClient;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import static dev.boardcast.events.SubscriptionTest.event;
import static dev.boardcast.events.SubscriptionTest.latestCursor;
import static dev.boardcast.events.SubscriptionTest.vars;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Subscribers who select the same fields of an event share one run of that selection; a
 * field that depends on who asks keeps it per subscriber, so each still sees their own
 * answer.
 */
@BoardcastTest
class SharedEventsTest {

	static final String FLAT = """
			subscription($boardId: ID!, $after: String) { boardChanged(boardId: $boardId, after: $after) {
			  seq kind actor { handle } column { id name } } }""";

	static final String WITH_ROLE = """
			subscription($boardId: ID!, $after: String) { boardChanged(boardId: $boardId, after: $after) {
			  seq kind board { name myRole } } }""";

	@LocalServerPort
	int port;

	@Autowired
	MeterRegistry meters;

	/** A board of its owner with one more member, who has the given role. */
	record Members(String board, Api.Client alice, Api.Client bob) {
	}

	Members members(String name, String role) {
		Api api = new Api(this.port);
		Api.Client alice = api.newUser(name.toLowerCase() + "owner");
		Api.Client bob = api.newUser(name.toLowerCase() + "member");
		String board = Fixtures.board(alice, name);
		Fixtures.member(alice, board, bob, role);
		return new Members(board, alice, bob);
	}

	@Test
	void subscribersOfOneSelectionGetOneRunOfEachEvent() {
		Members members = members("Shared", "EDITOR");
		String board = members.board();
		Api.Client alice = members.alice();
		Api.Client bob = members.bob();
		try (WsClient first = WsClient.connect(this.port).init(alice.token());
				WsClient second = WsClient.connect(this.port).init(bob.token())) {
			// different cursors: `after` only chooses where the stream starts
			first.subscribe("1", FLAT, vars(board, latestCursor(alice, board)));
			Fixtures.column(alice, board, "Todo");
			event(first.next());
			second.subscribe("1", FLAT, vars(board, latestCursor(bob, board)));
			// once both have this one, both take the live stream (a replay from the log
			// is read for its subscriber alone)
			Fixtures.column(alice, board, "Doing");
			assertThat(event(first.next())).isEqualTo(event(second.next()));
			double before = shared();
			String done = Fixtures.column(bob, board, "Done");

			Map<String, Object> seenByAlice = event(first.next());
			Map<String, Object> seenByBob = event(second.next());
			assertThat(seenByAlice).isEqualTo(seenByBob)
				.containsEntry("kind", "COLUMN_CREATED")
				.containsEntry("actor", Map.of("handle", bob.handle()))
				.containsEntry("column", Map.of("id", done, "name", "Done"));
			assertThat(shared() - before).as("events answered with the other subscriber's run").isEqualTo(1);
		}
	}

	@Test
	void aFieldThatDependsOnWhoAsksIsRunForEachSubscriber() {
		Members members = members("Roles", "VIEWER");
		String board = members.board();
		Api.Client alice = members.alice();
		try (WsClient owner = WsClient.connect(this.port).init(alice.token());
				WsClient viewer = WsClient.connect(this.port).init(members.bob().token())) {
			String cursor = latestCursor(alice, board);
			owner.subscribe("1", WITH_ROLE, vars(board, cursor));
			viewer.subscribe("1", WITH_ROLE, vars(board, cursor));
			// as above: from here on both take the live stream
			Fixtures.column(alice, board, "Todo");
			assertThat(event(owner.next())).isEqualTo(event(viewer.next()));
			double before = shared();
			alice.graphql()
				.document("mutation($i: UpdateBoardInput!) { updateBoard(input: $i) { board { id } } }")
				.variable("i", Map.of("boardId", board, "name", "Renamed"))
				.execute();

			assertThat(event(owner.next())).containsEntry("kind", "BOARD_UPDATED")
				.containsEntry("board", Map.of("name", "Renamed", "myRole", "OWNER"));
			assertThat(event(viewer.next())).containsEntry("kind", "BOARD_UPDATED")
				.containsEntry("board", Map.of("name", "Renamed", "myRole", "VIEWER"));
			assertThat(shared() - before).isZero();
		}
	}

	private double shared() {
		return this.meters.counter("boardcast.subscription.events.shared").count();
	}

}
