package dev.boardcast.events;

import java.time.Duration;
import java.util.Map;

import dev.boardcast.BoardcastApplication;
import dev.boardcast.support.Api;
import dev.boardcast.support.Fixtures;
import dev.boardcast.support.WsClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static dev.boardcast.events.SubscriptionTest.BOARD_CHANGED;
import static dev.boardcast.events.SubscriptionTest.errorCode;
import static dev.boardcast.events.SubscriptionTest.expectSeqs;
import static dev.boardcast.events.SubscriptionTest.seq;
import static dev.boardcast.events.SubscriptionTest.vars;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * One replica without Redis (the embedded default's in-process bus), with small limits so
 * the connection rules can be seen: keep-alive pings, the connection_init timeout, the
 * cap on subscriptions per connection, and the slow-consumer buffer.
 */
class SingleReplicaTest {

	static ConfigurableApplicationContext app;

	static int port;

	@BeforeAll
	static void start() {
		// A blank Redis URL means "not configured", as an empty environment variable
		// would.
		app = new SpringApplicationBuilder(BoardcastApplication.class).run("--server.port=0",
				"--spring.data.redis.url=", "--spring.graphql.websocket.keep-alive=500ms",
				"--spring.graphql.websocket.connection-init-timeout=1s", "--boardcast.subscriptions.per-connection=2",
				"--boardcast.subscriptions.buffer=16");
		port = ((WebServerApplicationContext) app).getWebServer().getPort();
	}

	@AfterAll
	static void stop() {
		app.close();
	}

	@Test
	void theInProcessBusDeliversWithoutRedis() {
		assertThat(app.getBean(EventBus.class)).isInstanceOf(InProcessEventBus.class);
		Api api = new Api(port);
		Api.Client alice = api.newUser("solo");
		String board = Fixtures.board(alice, "Solo");
		try (WsClient client = WsClient.connect(port).init(alice.token())) {
			client.subscribe("1", BOARD_CHANGED, vars(board, SubscriptionTest.latestCursor(alice, board)));
			Fixtures.column(alice, board, "Todo");
			expectSeqs(client, 2, 1);
		}
	}

	@Test
	void idleSocketsGetKeepAlivePingsAndSilentOnesAreClosed() {
		Api.Client alice = new Api(port).newUser("idle");
		try (WsClient idle = WsClient.connect(port).init(alice.token())) {
			for (int i = 0; i < 50 && idle.pings() == 0; i++) {
				FanOutTest.sleep(100);
			}
			assertThat(idle.pings()).isPositive();
			assertThat(idle.isClosed()).isFalse();
		}
		try (WsClient silent = WsClient.connect(port)) {
			assertThat(silent.closeCode(Duration.ofSeconds(10))).isEqualTo(4408);
		}
	}

	@Test
	void aConnectionHoldsAtMostItsCapOfSubscriptions() {
		Api.Client alice = new Api(port).newUser("greedy");
		String board = Fixtures.board(alice, "Capped");
		try (WsClient client = WsClient.connect(port).init(alice.token())) {
			client.subscribe("1", BOARD_CHANGED, vars(board, SubscriptionTest.latestCursor(alice, board)));
			client.subscribe("2", BOARD_CHANGED, vars(board, SubscriptionTest.latestCursor(alice, board)));
			client.subscribe("3", BOARD_CHANGED, vars(board, SubscriptionTest.latestCursor(alice, board)));
			Map<String, Object> refused = client.next();
			assertThat(refused).containsEntry("id", "3");
			assertThat(errorCode(refused)).isEqualTo("RATE_LIMITED");
			client.complete("1");
			FanOutTest.sleep(200);
			client.subscribe("4", BOARD_CHANGED, vars(board, SubscriptionTest.latestCursor(alice, board)));
			Fixtures.column(alice, board, "Todo");
			java.util.List<Object> delivered = new java.util.ArrayList<>();
			while (delivered.size() < 2) {
				Map<String, Object> message = client.next();
				if ("next".equals(message.get("type"))) {
					delivered.add(message.get("id"));
				}
			}
			assertThat(delivered).containsExactlyInAnyOrder("2", "4");
		}
	}

	@Test
	void aGraphqlWsSubscriberIsHandedItsEventsOnItsSocketsEventLoop() {
		Api.Client alice = new Api(port).newUser("looped");
		String board = Fixtures.board(alice, "Looped");
		BoardFeeds feeds = app.getBean(BoardFeeds.class);
		java.util.UUID boardId = java.util.UUID.fromString(board);
		try (WsClient client = WsClient.connect(port).init(alice.token())) {
			client.subscribe("1", BOARD_CHANGED, vars(board, SubscriptionTest.latestCursor(alice, board)));
			FanOutTest.sleep(200);
			assertThat(feeds.onSocketLoops(boardId)).isEqualTo(1);
			Fixtures.column(alice, board, "Todo");
			assertThat(seq(client.next())).isEqualTo(2);
		}
	}

	@Test
	void liveEventsAreHandedOverOnTheSubscribersEventLoopInOrder() throws Exception {
		Api.Client alice = new Api(port).newUser("ordered");
		String board = Fixtures.board(alice, "Ordered");
		String column = Fixtures.column(alice, board, "Todo");
		BoardFeeds feeds = app.getBean(BoardFeeds.class);
		java.util.UUID boardId = java.util.UUID.fromString(board);
		io.netty.channel.DefaultEventLoop loop = new io.netty.channel.DefaultEventLoop(
				(Runnable task) -> new Thread(task, "test-socket-loop"));
		try {
			java.util.List<String> seen = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
			reactor.core.Disposable subscription = feeds.events(boardId, 2, loop)
				.subscribe((event) -> seen.add(event.seq() + "@" + Thread.currentThread().getName()));
			FanOutTest.sleep(200);
			for (int i = 0; i < 20; i++) {
				Fixtures.task(alice, column, "task " + i);
			}
			long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
			while (seen.size() < 20 && System.nanoTime() < deadline) {
				FanOutTest.sleep(20);
			}
			subscription.dispose();
			assertThat(seen).containsExactlyElementsOf(java.util.stream.IntStream.rangeClosed(3, 22)
				.mapToObj((seq) -> seq + "@test-socket-loop")
				.toList());
		}
		finally {
			loop.shutdownGracefully().sync();
		}
	}

	@Test
	void aSlowSubscriberIsEndedWhileOthersGetEverything() {
		Api.Client alice = new Api(port).newUser("busy");
		String board = Fixtures.board(alice, "Firehose");
		String column = Fixtures.column(alice, board, "Todo");
		BoardFeeds feeds = app.getBean(BoardFeeds.class);
		java.util.UUID boardId = java.util.UUID.fromString(board);
		java.util.concurrent.atomic.AtomicReference<Throwable> stalledError = new java.util.concurrent.atomic.AtomicReference<>();
		// takes one event and then never asks for more
		feeds.events(boardId, 2).subscribe(new reactor.core.publisher.BaseSubscriber<BoardEvent>() {
			@Override
			protected void hookOnSubscribe(org.reactivestreams.Subscription subscription) {
				subscription.request(1);
			}

			@Override
			protected void hookOnError(Throwable throwable) {
				stalledError.set(throwable);
			}
		});
		try (WsClient healthy = WsClient.connect(port).init(alice.token())) {
			healthy.subscribe("1", BOARD_CHANGED, vars(board, SubscriptionTest.latestCursor(alice, board)));
			FanOutTest.sleep(200);
			for (int i = 0; i < 40; i++) {
				Fixtures.task(alice, column, "task " + i);
			}
			for (int i = 0; i < 40; i++) {
				assertThat(seq(healthy.next())).isEqualTo(3 + i);
			}
		}
		assertThat(stalledError.get()).isInstanceOf(SlowConsumerException.class);
	}

}
