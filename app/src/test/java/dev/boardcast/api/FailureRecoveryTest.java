package dev.boardcast.api;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

import dev.boardcast.BoardcastApplication;
import dev.boardcast.support.Api;
import dev.boardcast.support.FailingField;
import dev.boardcast.support.Fixtures;
import dev.boardcast.support.RawWebSocket;
import dev.boardcast.support.TestServices;
import dev.boardcast.support.WsClient;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.graphql.ResponseError;
import org.springframework.graphql.test.tester.GraphQlTester;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Failures from outside, and how the server comes out of them by itself: clients that
 * vanish without closing their socket, database connections killed mid-request, and
 * unexpected errors, which reach the client masked (an error id, no detail) while the log
 * has the detail under that id. An app instance of its own: its database connections
 * carry an application name, so the test kills only those, and a keep-alive of 1 s makes
 * silent clients show quickly.
 */
@ExtendWith(OutputCaptureExtension.class)
class FailureRecoveryTest {

	static final String APPLICATION_NAME = "boardcast-recovery-test";

	static final String BOARD_CHANGED = "subscription($b: ID!) { boardChanged(boardId: $b) { seq kind } }";

	static ConfigurableApplicationContext app;

	static int port;

	static MeterRegistry meters;

	static RedisClient redisClient;

	static StatefulRedisConnection<String, String> redis;

	Api api;

	Api.Client alice;

	@BeforeAll
	static void start() {
		TestServices.Postgres postgres = TestServices.postgres();
		app = new SpringApplicationBuilder(BoardcastApplication.class, FailingField.class).run("--server.port=0",
				"--spring.r2dbc.url=" + postgres.r2dbcUrl() + "?applicationName=" + APPLICATION_NAME
						+ "&lockWaitTimeout=1s",
				"--spring.graphql.websocket.keep-alive=1s");
		port = ((WebServerApplicationContext) app).getWebServer().getPort();
		meters = app.getBean(MeterRegistry.class);
		redisClient = RedisClient.create(TestServices.redis().url());
		redis = redisClient.connect();
	}

	@AfterAll
	static void stop() {
		if (redis != null) {
			redis.close();
			redisClient.shutdown();
		}
		if (app != null) {
			app.close();
		}
	}

	@BeforeEach
	void setUp() {
		this.api = new Api(port);
		this.alice = this.api.newUser("alice");
	}

	void theServerStillAnswers() {
		this.alice.graphql()
			.document("{ me { id } }")
			.execute()
			.path("me.id")
			.entity(String.class)
			.isEqualTo(this.alice.id());
	}

	static double gauge(String name) {
		return meters.get(name).gauge().value();
	}

	/** Subscribers of the board's Redis channel, on every replica. */
	static long redisSubscribers(String board) {
		String channel = "boardcast:board:" + board;
		return redis.sync().pubsubNumsub(channel).getOrDefault(channel, 0L);
	}

	static void within(Duration timeout, String what, BooleanSupplier condition) {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (!condition.getAsBoolean()) {
			if (System.nanoTime() > deadline) {
				throw new AssertionError("not within " + timeout + ": " + what);
			}
			sleep(50);
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

	/** A raw client subscribed to the board, once the server holds its subscription. */
	RawWebSocket subscribedRawClient(String board) {
		RawWebSocket socket = RawWebSocket.connect(port);
		socket.write(RawWebSocket
			.message(Map.of("type", "connection_init", "payload", Map.of("Authorization", this.alice.bearer()))));
		assertThat(socket.nextMessage()).containsEntry("type", "connection_ack");
		socket.write(RawWebSocket.message(Map.of("id", "1", "type", "subscribe", "payload",
				Map.of("query", BOARD_CHANGED, "variables", Map.of("b", board)))));
		within(Duration.ofSeconds(10), "the board's Redis subscription", () -> redisSubscribers(board) == 1);
		return socket;
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "reset", "closed without a close frame" })
	void aClientThatVanishesFreesItsSubscriptionsAndTheBoardsRedisChannel(String how) {
		String board = Fixtures.board(this.alice, "Vanishing");
		double connections = gauge("boardcast.websocket.connections");
		double subscriptions = gauge("boardcast.subscriptions.active");
		RawWebSocket socket = subscribedRawClient(board);
		assertThat(gauge("boardcast.websocket.connections")).isEqualTo(connections + 1);
		assertThat(gauge("boardcast.subscriptions.active")).isEqualTo(subscriptions + 1);
		if (how.equals("reset")) {
			socket.reset();
		}
		else {
			socket.close();
		}
		within(Duration.ofSeconds(5), "subscriptions freed",
				() -> redisSubscribers(board) == 0 && gauge("boardcast.subscriptions.active") == subscriptions
						&& gauge("boardcast.websocket.connections") == connections);
		theServerStillAnswers();
	}

	@Test
	void aClientThatGoesSilentIsClosedWithinFourKeepAlivesWhileAnAnsweringOneStays() {
		String board = Fixtures.board(this.alice, "Silent");
		double subscriptions = gauge("boardcast.subscriptions.active");
		try (WsClient answering = WsClient.connect(port).init(this.alice.token());
				RawWebSocket silent = subscribedRawClient(board)) {
			answering.subscribe("1", BOARD_CHANGED, Map.of("b", board));
			within(Duration.ofSeconds(10), "both subscribed",
					() -> gauge("boardcast.subscriptions.active") == subscriptions + 2);
			// the raw client never answers the ping frames
			long started = System.nanoTime();
			assertThat(silent.closeCode(Duration.ofSeconds(10))).isEqualTo(1001);
			assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(6));
			assertThat(silent.awaitEnd(Duration.ofSeconds(5))).as("TCP connection closed").isTrue();
			within(Duration.ofSeconds(5), "the silent client's subscription freed",
					() -> gauge("boardcast.subscriptions.active") == subscriptions + 1);
			// the client that answers is still there, and live
			Fixtures.column(this.alice, board, "Still here");
			assertThat(answering.next()).containsEntry("type", "next");
			assertThat(redisSubscribers(board)).isEqualTo(1);
		}
		theServerStillAnswers();
	}

	/**
	 * A client that only listens sends nothing but its answers to the server's WebSocket
	 * ping frames: they are what keep it open, busy board or not.
	 */
	@Test
	void aClientThatOnlyListensToABusyBoardStaysConnected() {
		String board = Fixtures.board(this.alice, "Busy");
		String column = Fixtures.column(this.alice, board, "Todo");
		String task = Fixtures.task(this.alice, column, "busy");
		try (WsClient listener = WsClient.connect(port).init(this.alice.token())) {
			listener.subscribe("1", BOARD_CHANGED, Map.of("b", board));
			within(Duration.ofSeconds(10), "subscribed", () -> redisSubscribers(board) == 1);
			long until = System.nanoTime() + Duration.ofSeconds(6).toNanos();
			int sent = 0;
			while (System.nanoTime() < until) {
				this.alice.graphql()
					.documentName("updateTask")
					.variable("input", Map.of("taskId", task, "title", "update " + sent))
					.execute()
					.path("updateTask.task.id")
					.hasValue();
				sent++;
				sleep(200);
			}
			for (int i = 0; i < sent; i++) {
				assertThat(listener.next()).containsEntry("type", "next");
			}
			assertThat(listener.pings()).as("ping frames answered").isPositive();
			assertThat(listener.isClosed()).isFalse();
		}
	}

	@Test
	void requestsInFlightWhenDatabaseConnectionsAreKilledFailMaskedAndThePoolRecovers(CapturedOutput output)
			throws Exception {
		String board = Fixtures.board(this.alice, "Killed");
		String column = Fixtures.column(this.alice, board, "Todo");
		AtomicBoolean running = new AtomicBoolean(true);
		ConcurrentLinkedQueue<GraphQlTester.Response> responses = new ConcurrentLinkedQueue<>();
		ConcurrentLinkedQueue<Throwable> transportFailures = new ConcurrentLinkedQueue<>();
		List<Thread> clients = new ArrayList<>();
		for (int i = 0; i < 4; i++) {
			int client = i;
			Thread thread = new Thread(() -> {
				for (int n = 0; running.get(); n++) {
					try {
						responses.add(request(board, column, client, n));
					}
					catch (Throwable ex) {
						transportFailures.add(ex);
					}
				}
			});
			thread.start();
			clients.add(thread);
		}
		int killed = 0;
		for (int round = 0; round < 5; round++) {
			sleep(150);
			killed += killConnections();
		}
		running.set(false);
		for (Thread thread : clients) {
			thread.join();
		}
		assertThat(killed).as("connections killed").isPositive();
		assertThat(transportFailures).as("requests that failed outside GraphQL").isEmpty();
		List<ResponseError> failures = new ArrayList<>();
		int succeeded = 0;
		for (GraphQlTester.Response response : responses) {
			List<ResponseError> errors = new ArrayList<>();
			response.errors().satisfy(errors::addAll);
			if (errors.isEmpty()) {
				succeeded++;
			}
			failures.addAll(errors);
		}
		assertThat(succeeded).isPositive();
		assertThat(failures).allSatisfy((error) -> assertMasked(error, output));
		// the pool recovers by itself: soon every request succeeds again
		within(Duration.ofSeconds(10), "ten requests in a row succeed", () -> {
			for (int i = 0; i < 10; i++) {
				List<ResponseError> errors = new ArrayList<>();
				this.alice.graphql()
					.document("query($id: ID!) { board(id: $id) { lastSeq } }")
					.variable("id", board)
					.execute()
					.errors()
					.satisfy(errors::addAll);
				if (!errors.isEmpty()) {
					return false;
				}
			}
			return true;
		});
		Fixtures.task(this.alice, column, "after the storm");
	}

	@Test
	void aRequestAfterTheDatabaseDroppedEveryIdleConnectionSucceeds() throws Exception {
		String board = Fixtures.board(this.alice, "Dropped");
		// every connection the pool holds now: two at start (initial-size), but the
		// tests before this one may have left it with one; each is checked when acquired
		int killed = killConnections();
		assertThat(killed).as("idle connections killed").isPositive();
		within(Duration.ofSeconds(10), "the database has ended the killed sessions", () -> {
			try {
				return appSessions() == 0;
			}
			catch (Exception ex) {
				throw new IllegalStateException(ex);
			}
		});
		// every dead connection fails its check on acquire and is replaced: no request
		// sees one
		for (int i = 0; i < 5; i++) {
			this.alice.graphql()
				.document("query($id: ID!) { board(id: $id) { name columns { taskCount } } }")
				.variable("id", board)
				.execute()
				.path("board.name")
				.entity(String.class)
				.isEqualTo("Dropped");
		}
	}

	static int appSessions() throws Exception {
		TestServices.Postgres postgres = TestServices.postgres();
		try (Connection db = DriverManager.getConnection(postgres.jdbcUrl(), postgres.user(), postgres.password());
				PreparedStatement count = db.prepareStatement(
						"SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND application_name = ?")) {
			count.setString(1, APPLICATION_NAME);
			try (ResultSet rows = count.executeQuery()) {
				rows.next();
				return rows.getInt(1);
			}
		}
	}

	GraphQlTester.Response request(String board, String column, int client, int n) {
		return (n % 2 == 0)
				? this.alice.graphql()
					.documentName("createTask")
					.variable("input", Map.of("columnId", column, "title", "task " + client + "/" + n))
					.execute()
				: this.alice.graphql()
					.document("query($id: ID!) { board(id: $id) { lastSeq columns { taskCount } } }")
					.variable("id", board)
					.execute();
	}

	/** Terminates every database connection of this app; how many. */
	static int killConnections() throws Exception {
		TestServices.Postgres postgres = TestServices.postgres();
		try (Connection db = DriverManager.getConnection(postgres.jdbcUrl(), postgres.user(), postgres.password());
				PreparedStatement kill = db
					.prepareStatement("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
							+ "WHERE datname = current_database() AND pid <> pg_backend_pid() AND application_name = ?")) {
			kill.setString(1, APPLICATION_NAME);
			try (ResultSet rows = kill.executeQuery()) {
				rows.next();
				return rows.getInt(1);
			}
		}
	}

	static void assertMasked(ResponseError error, CapturedOutput output) {
		assertThat(error.getExtensions()).containsEntry("code", "INTERNAL").containsKey("errorId");
		String errorId = (String) error.getExtensions().get("errorId");
		assertThat(error.getMessage()).isEqualTo("Internal error (id " + errorId + ")");
		assertThat(error.getExtensions()).containsOnlyKeys("code", "errorId", "classification");
		assertThat(output.getAll()).contains("Unexpected error " + errorId);
	}

	@Test
	void unexpectedErrorsReachTheClientMaskedWithAnIdThatTheLogExplains(CapturedOutput output) {
		List<ResponseError> errors = new ArrayList<>();
		this.alice.graphql()
			.document("query($id: ID!) { board(id: $id) { id } }")
			.variable("id", FailingField.BOOM)
			.execute()
			.errors()
			.satisfy(errors::addAll);
		assertThat(errors).singleElement().satisfies((error) -> {
			assertMasked(error, output);
			assertThat(error.toString()).doesNotContain(FailingField.SECRET_DETAIL, "IllegalStateException",
					"org.example", "at dev.boardcast");
		});
		String errorId = (String) errors.get(0).getExtensions().get("errorId");
		String logged = output.getAll().substring(output.getAll().indexOf("Unexpected error " + errorId));
		assertThat(logged).contains("java.lang.IllegalStateException", FailingField.SECRET_DETAIL);
		// over WebSocket alike
		try (WsClient client = WsClient.connect(port).init(this.alice.token())) {
			client.subscribe("1", "query($id: ID!) { board(id: $id) { id } }", Map.of("id", FailingField.BOOM));
			Map<String, Object> message = client.next();
			assertThat(message.toString()).contains("INTERNAL", "errorId")
				.doesNotContain(FailingField.SECRET_DETAIL, "IllegalStateException");
		}
		theServerStillAnswers();
	}

	@Test
	void aDatabaseErrorReachesTheClientMaskedAndChangesNothing(CapturedOutput output) throws Exception {
		String board = Fixtures.board(this.alice, "Locked");
		TestServices.Postgres postgres = TestServices.postgres();
		List<ResponseError> errors = new ArrayList<>();
		try (Connection db = DriverManager.getConnection(postgres.jdbcUrl(), postgres.user(), postgres.password())) {
			db.setAutoCommit(false);
			// the board's row is locked longer than this app's lock wait timeout (1 s)
			try (PreparedStatement lock = db.prepareStatement("SELECT 1 FROM boards WHERE id = ? FOR UPDATE")) {
				lock.setObject(1, UUID.fromString(board));
				lock.executeQuery().close();
			}
			this.alice.graphql()
				.documentName("createColumn")
				.variable("input", Map.of("boardId", board, "name", "Blocked"))
				.execute()
				.errors()
				.satisfy(errors::addAll);
			db.rollback();
		}
		assertThat(errors).singleElement().satisfies((error) -> {
			assertMasked(error, output);
			assertThat(error.toString()).doesNotContain("lock", "SQL", "R2dbc", "boards", "Exception");
		});
		String errorId = (String) errors.get(0).getExtensions().get("errorId");
		assertThat(output.getAll().substring(output.getAll().indexOf("Unexpected error " + errorId)))
			.contains("lock timeout");
		this.alice.graphql()
			.document("query($id: ID!) { board(id: $id) { lastSeq columns { name } } }")
			.variable("id", board)
			.execute()
			.path("board.columns")
			.entityList(Object.class)
			.hasSize(0);
		theServerStillAnswers();
	}

}
