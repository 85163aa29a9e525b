package dev.boardcast.events;

import java.util.List;
import java.util.Map;

import dev.boardcast.BoardcastApplication;
import dev.boardcast.support.Api;
import dev.boardcast.support.BoardcastTest;
import dev.boardcast.support.Fixtures;
import dev.boardcast.support.TestServices;
import dev.boardcast.support.WsClient;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static dev.boardcast.events.SubscriptionTest.BOARD_CHANGED;
import static dev.boardcast.events.SubscriptionTest.expectSeqs;
import static dev.boardcast.events.SubscriptionTest.vars;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Redis fan-out: one Redis subscription per watched board per replica, and survival of a
 * Redis restart.
 */
@BoardcastTest
class FanOutTest {

	@LocalServerPort
	int port;

	Api api;

	@BeforeEach
	void setUp() {
		this.api = new Api(this.port);
	}

	/**
	 * Redis's own count of subscribers of a board's channel (each replica's subscription
	 * counts once).
	 */
	static long redisSubscriptions(String boardId) {
		RedisClient client = RedisClient.create(TestServices.redis().url());
		try (StatefulRedisConnection<String, String> connection = client.connect()) {
			Map<String, Long> counts = connection.sync().pubsubNumsub(RedisEventBus.CHANNEL_PREFIX + boardId);
			return counts.values().stream().mapToLong(Long::longValue).sum();
		}
		finally {
			client.shutdown();
		}
	}

	/**
	 * Polls (bounded) until Redis reports {@code expected} subscriptions of the board's
	 * channel.
	 */
	static long awaitRedisSubscriptions(String boardId, long expected) {
		long count = -1;
		for (int i = 0; i < 100 && count != expected; i++) {
			count = redisSubscriptions(boardId);
			if (count != expected) {
				sleep(100);
			}
		}
		return count;
	}

	static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			throw new IllegalStateException(ex);
		}
	}

	@Test
	void eachReplicaHoldsOneRedisSubscriptionPerWatchedBoardAndNoneForOthers() {
		Api.Client alice = this.api.newUser("alice");
		String watched = Fixtures.board(alice, "Watched");
		String unwatched = Fixtures.board(alice, "Unwatched");
		try (WsClient one = WsClient.connect(this.port).init(alice.token());
				WsClient two = WsClient.connect(this.port).init(alice.token())) {
			one.subscribe("1", BOARD_CHANGED, vars(watched, SubscriptionTest.latestCursor(alice, watched)));
			one.subscribe("2", BOARD_CHANGED, vars(watched, SubscriptionTest.latestCursor(alice, watched)));
			two.subscribe("1", BOARD_CHANGED, vars(watched, SubscriptionTest.latestCursor(alice, watched)));
			Fixtures.column(alice, watched, "Todo");
			assertThat(List.of(SubscriptionTest.seq(one.next()), SubscriptionTest.seq(one.next()))).containsExactly(2,
					2);
			expectSeqs(two, 2, 1);
			assertThat(awaitRedisSubscriptions(watched, 1)).isEqualTo(1);
			assertThat(redisSubscriptions(unwatched)).isZero();
		}
		assertThat(awaitRedisSubscriptions(watched, 0)).isZero();
	}

	@Test
	void redisRestartLosesNoEventAndLiveDeliveryResumesByItself() {
		Api.Client alice = this.api.newUser("alice");
		String board = Fixtures.board(alice, "Outage");
		String column = Fixtures.column(alice, board, "Todo");
		ConfigurableApplicationContext replicaB = new SpringApplicationBuilder(BoardcastApplication.class)
			.run("--server.port=0");
		try (WsClient onB = WsClient.connect(((WebServerApplicationContext) replicaB).getWebServer().getPort())
			.init(alice.token())) {
			onB.subscribe("1", BOARD_CHANGED, vars(board, SubscriptionTest.latestCursor(alice, board)));
			Fixtures.task(alice, column, "before");
			expectSeqs(onB, 3, 1);
			TestServices.redis().stop();
			try {
				for (int i = 0; i < 5; i++) {
					Fixtures.task(alice, column, "during outage " + i);
				}
			}
			finally {
				TestServices.redis().start();
			}
			// Mutations kept committing; the subscriber catches up from the log, in
			// order.
			expectSeqs(onB, 4, 5);
			// The replica subscribes to the board's channel again by itself...
			assertThat(awaitRedisSubscriptions(board, 1)).isEqualTo(1);
			// ...and live events flow again.
			List<String> titles = List.of("after 1", "after 2");
			for (String title : titles) {
				Fixtures.task(alice, column, title);
			}
			expectSeqs(onB, 9, 2);
		}
		finally {
			replicaB.close();
		}
	}

}
