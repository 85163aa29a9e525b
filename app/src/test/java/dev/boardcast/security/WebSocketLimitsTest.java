package dev.boardcast.security;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.boardcast.support.Api;
import dev.boardcast.support.BoardcastTest;
import dev.boardcast.support.Fixtures;
import dev.boardcast.support.WsClient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The limits of graphql-ws: connections per user on a replica (default 20, closed with
 * 4430 beyond) and subscriptions per connection (default 50, RATE_LIMITED beyond).
 */
@BoardcastTest
class WebSocketLimitsTest {

	static final String BOARD_CHANGED = "subscription($boardId: ID!, $after: String) "
			+ "{ boardChanged(boardId: $boardId, after: $after) { seq kind } }";

	@LocalServerPort
	int port;

	Api api;

	@BeforeEach
	void setUp() {
		this.api = new Api(this.port);
	}

	@Test
	void aUserHoldsTwentyConnectionsPerReplicaAndTheNextIsClosedWith4430BeforeAnyData() {
		Api.Client alice = this.api.newUser("sockets");
		Api.Client bob = this.api.newUser("other");
		List<WsClient> open = new ArrayList<>();
		try {
			for (int i = 0; i < 20; i++) {
				open.add(WsClient.connect(this.port).init(alice.token()));
			}
			try (WsClient extra = WsClient.connect(this.port)) {
				extra.send(Map.of("type", "connection_init", "payload",
						Map.of("Authorization", "Bearer " + alice.token())));
				assertThat(extra.closeCode(Duration.ofSeconds(10))).isEqualTo(4430);
				assertThat(extra.pending()).as("no connection_ack, no data").isZero();
			}
			// the cap is per user: another user connects as usual
			try (WsClient others = WsClient.connect(this.port).init(bob.token())) {
				assertThat(others.isClosed()).isFalse();
			}
			// a closed connection frees its place
			open.remove(0).close();
			WsClient again = null;
			for (int attempt = 0; attempt < 50 && again == null; attempt++) {
				WsClient candidate = WsClient.connect(this.port);
				candidate.send(Map.of("type", "connection_init", "payload",
						Map.of("Authorization", "Bearer " + alice.token())));
				Map<String, Object> answer = candidate.poll(Duration.ofSeconds(2));
				if (answer != null && "connection_ack".equals(answer.get("type"))) {
					again = candidate;
				}
				else {
					candidate.close();
					sleep(100);
				}
			}
			assertThat(again).as("a connection accepted once one of the 20 closed").isNotNull();
			open.add(again);
		}
		finally {
			open.forEach(WsClient::close);
		}
	}

	@Test
	@SuppressWarnings("unchecked")
	void aThousandSubscribesOnOneSocketGiveFiftyLiveSubscriptionsAndNineHundredFiftyRateLimitedErrors() {
		Api.Client alice = this.api.newUser("flood");
		String board = Fixtures.board(alice, "Flooded");
		String cursor = alice.graphql()
			.document("query($b: ID!) { boardEvents(boardId: $b) { nodes { cursor } } }")
			.variable("b", board)
			.execute()
			.path("boardEvents.nodes[0].cursor")
			.entity(String.class)
			.get();
		Map<String, Object> variables = new HashMap<>();
		variables.put("boardId", board);
		variables.put("after", cursor);
		try (WsClient socket = WsClient.connect(this.port).init(alice.token())) {
			for (int i = 1; i <= 1000; i++) {
				socket.subscribe(Integer.toString(i), BOARD_CHANGED, variables);
			}
			Set<Object> refused = new HashSet<>();
			while (refused.size() < 950) {
				Map<String, Object> message = socket.next();
				assertThat(message).as("only refusals so far").containsEntry("type", "error");
				Map<String, Object> error = ((List<Map<String, Object>>) message.get("payload")).get(0);
				assertThat((Map<String, Object>) error.get("extensions")).containsEntry("code", "RATE_LIMITED");
				assertThat(refused.add(message.get("id"))).as("one refusal per operation").isTrue();
			}
			assertThat(socket.poll(Duration.ofMillis(500))).as("nothing beyond 950 refusals").isNull();
			// The server stays healthy: a normal query right away...
			alice.graphql().document("{ me { id } }").execute().path("me.id").hasValue();
			// ...and exactly the 50 others are live.
			Fixtures.column(alice, board, "Todo");
			Set<Object> live = new HashSet<>();
			for (int i = 0; i < 50; i++) {
				Map<String, Object> message = socket.next();
				assertThat(message).containsEntry("type", "next");
				live.add(message.get("id"));
			}
			assertThat(live).hasSize(50).doesNotContainAnyElementsOf(refused);
			assertThat(socket.poll(Duration.ofMillis(300))).isNull();
			assertThat(socket.isClosed()).isFalse();
		}
	}

	static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
