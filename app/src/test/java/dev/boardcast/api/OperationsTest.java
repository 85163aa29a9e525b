package dev.boardcast.api;

import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.boardcast.support.Api;
import dev.boardcast.support.BoardcastTest;
import dev.boardcast.support.Fixtures;
import dev.boardcast.support.WsClient;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.graphql.observation.ExecutionRequestObservationContext;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.observation.ServerRequestObservationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What operators see: readiness with the database (and Redis), the real-time metrics, and
 * HTTP request timings without WebSockets in them.
 */
@BoardcastTest
class OperationsTest {

	@LocalServerPort
	int port;

	@Autowired
	ObservationRegistry observations;

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
			watch(client, alice, board);
			// The first event may come through the head check if Redis's SUBSCRIBE was
			// not yet
			// active; the ones after it are live.
			String metrics = "";
			for (int i = 0; i < 5
					&& !metrics.matches("(?s).*boardcast_events_delivery_lag_seconds_count\\S* [1-9].*"); i++) {
				Fixtures.column(alice, board, "Column " + i);
				assertThat(client.next()).containsEntry("type", "next");
				metrics = api.metrics();
			}
			assertThat(metrics).containsPattern("boardcast_websocket_connections\\S* [1-9]")
				.containsPattern("boardcast_subscriptions_active\\S* [1-9]")
				.containsPattern("boardcast_boards_watched\\S* [1-9]")
				.containsPattern("boardcast_events_delivery_lag_seconds_count\\S* [1-9]");
		}
	}

	@Test
	void aWebSocketIsNotTimedAsAnHttpRequest() {
		Api api = new Api(this.port);
		Api.Client alice = api.newUser("opsws");
		String board = Fixtures.board(alice, "Observed");
		List<String> observed = new CopyOnWriteArrayList<>();
		AtomicBoolean recording = new AtomicBoolean(true);
		this.observations.observationConfig().observationHandler(new ObservationHandler<>() {
			@Override
			public boolean supportsContext(Observation.Context context) {
				return recording.get() && context instanceof ServerRequestObservationContext;
			}

			@Override
			public void onStart(Observation.Context context) {
				ServerHttpRequest request = ((ServerRequestObservationContext) context).getCarrier();
				observed.add(request.getMethod() + " " + request.getPath().value() + " upgrade="
						+ request.getHeaders().getUpgrade());
			}
		});
		try (WsClient client = WsClient.connect(this.port).init(alice.token())) {
			watch(client, alice, board);
			Fixtures.column(alice, board, "Column");
			assertThat(client.next()).containsEntry("type", "next");
		}
		finally {
			recording.set(false);
		}
		// the HTTP requests around the socket were observed, the socket's upgrade was not
		assertThat(observed).contains("POST /graphql upgrade=null")
			.noneMatch((request) -> request.contains("upgrade=websocket"));
	}

	@Test
	void aSubscriptionsRequestObservationEndsWithItsSetUpAndIsNotKeptWhileItRuns() {
		Api api = new Api(this.port);
		Api.Client alice = api.newUser("opsobs");
		String board = Fixtures.board(alice, "Observed subscription");
		List<WeakReference<Observation.Context>> stopped = new CopyOnWriteArrayList<>();
		AtomicBoolean recording = new AtomicBoolean(true);
		this.observations.observationConfig().observationHandler(new ObservationHandler<>() {
			@Override
			public boolean supportsContext(Observation.Context context) {
				return recording.get() && context instanceof ExecutionRequestObservationContext request
						&& request.getExecutionInput().getQuery().contains("boardChanged");
			}

			@Override
			public void onStop(Observation.Context context) {
				stopped.add(new WeakReference<>(context));
			}
		});
		try (WsClient client = WsClient.connect(this.port).init(alice.token())) {
			watch(client, alice, board);
			Fixtures.column(alice, board, "First");
			assertThat(client.next()).containsEntry("type", "next");
			// timed: the set-up, stopped while the subscription runs on
			assertThat(stopped).hasSize(1);
			// and nothing holds it (nor its execution input and result) while it does
			FailureRecoveryTest.within(Duration.ofSeconds(10), "the stopped observation collected", () -> {
				System.gc();
				return stopped.get(0).get() == null;
			});
			Fixtures.column(alice, board, "Second");
			assertThat(client.next()).containsEntry("type", "next");
		}
		finally {
			recording.set(false);
		}
	}

	/** Subscribes to the board's events from now on. */
	private static void watch(WsClient client, Api.Client user, String board) {
		client.subscribe("1", "subscription($b: ID!, $a: String) { boardChanged(boardId: $b, after: $a) { seq } }",
				java.util.Map.of("b", board, "a",
						dev.boardcast.events.SubscriptionTestAccess.latestCursor(user, board)));
	}

}
