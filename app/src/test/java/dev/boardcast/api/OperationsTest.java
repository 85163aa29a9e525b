package dev.boardcast.api;

import dev.boardcast.support.Api;
import dev.boardcast.support.BoardcastTest;
import dev.boardcast.support.Fixtures;
import dev.boardcast.support.WsClient;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What operators see: readiness with the database (and Redis), and the real-time metrics.
 */
@BoardcastTest
class OperationsTest {

	@LocalServerPort
	int port;

	@Test
	void readinessCoversTheDatabaseAndRedis() {
		new Api(this.port).client()
			.get()
			.uri("/actuator/health/readiness")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.status")
			.isEqualTo("UP");
		// show-details is off for clients; the group's members are checked through the
		// bean
	}

	@Test
	void prometheusShowsConnectionsSubscriptionsAndDeliveryLag() {
		Api api = new Api(this.port);
		Api.Client alice = api.newUser("ops");
		String board = Fixtures.board(alice, "Metrics");
		try (WsClient client = WsClient.connect(this.port).init(alice.token())) {
			client.subscribe("1", "subscription($b: ID!, $a: String) { boardChanged(boardId: $b, after: $a) { seq } }",
					java.util.Map.of("b", board, "a",
							dev.boardcast.events.SubscriptionTestAccess.latestCursor(alice, board)));
			// The first event may come through the head check if Redis's SUBSCRIBE was
			// not yet
			// active; the ones after it are live.
			String metrics = "";
			for (int i = 0; i < 5
					&& !metrics.matches("(?s).*boardcast_events_delivery_lag_seconds_count\\S* [1-9].*"); i++) {
				Fixtures.column(alice, board, "Column " + i);
				assertThat(client.next()).containsEntry("type", "next");
				metrics = api.client()
					.get()
					.uri("/actuator/prometheus")
					.exchange()
					.expectStatus()
					.isOk()
					.expectBody(String.class)
					.returnResult()
					.getResponseBody();
			}
			assertThat(metrics).containsPattern("boardcast_websocket_connections\\S* [1-9]")
				.containsPattern("boardcast_subscriptions_active\\S* [1-9]")
				.containsPattern("boardcast_boards_watched\\S* [1-9]")
				.containsPattern("boardcast_events_delivery_lag_seconds_count\\S* [1-9]");
		}
	}

}
