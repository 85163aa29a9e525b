package dev.boardcast.events;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.boardcast.support.Api;
import dev.boardcast.support.BoardcastTest;
import dev.boardcast.support.Fixtures;
import dev.boardcast.support.RawWebSocket;
import dev.boardcast.support.TestServices;
import dev.boardcast.support.WsClient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a hostile or broken graphql-ws client gets: a clear close code, and a server that
 * answers the next request as usual. (Binary frames, non-JSON text, unknown types,
 * duplicate ids, a second connection_init and the init timeout are in
 * {@link SubscriptionTest}.)
 */
@BoardcastTest
class HostileWebSocketTest {

	/** {@code boardcast.websocket.max-message-size}. */
	static final int MAX_MESSAGE = 64 * 1024;

	@LocalServerPort
	int port;

	Api api;

	Api.Client alice;

	@BeforeEach
	void setUp() {
		this.api = new Api(this.port);
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

	/** A valid graphql-ws ping of exactly {@code size} bytes. */
	static String pingOfSize(int size) {
		String head = "{\"type\":\"ping\",\"payload\":{\"pad\":\"";
		String tail = "\"}}";
		return head + "x".repeat(size - head.length() - tail.length()) + tail;
	}

	@Test
	void aMessageOfTheMaximumSizeIsReadAndOneByteMoreClosesWith1009() {
		try (RawWebSocket socket = RawWebSocket.connect(this.port)) {
			socket.write(RawWebSocket.text(pingOfSize(MAX_MESSAGE)));
			assertThat(socket.nextMessage()).containsEntry("type", "pong");
			socket.write(RawWebSocket.text(pingOfSize(MAX_MESSAGE + 1)));
			assertThat(socket.closeCode(Duration.ofSeconds(10))).isEqualTo(1009);
		}
		theServerStillAnswers();
	}

	@Test
	void aMessageOverTheMaximumSizeInFragmentsClosesWith1009() {
		byte[] message = pingOfSize(MAX_MESSAGE + 1).getBytes(StandardCharsets.UTF_8);
		int fragment = 16 * 1024;
		List<byte[]> frames = new ArrayList<>();
		for (int offset = 0; offset < message.length; offset += fragment) {
			byte[] part = java.util.Arrays.copyOfRange(message, offset, Math.min(message.length, offset + fragment));
			frames.add(RawWebSocket.frame((offset == 0) ? RawWebSocket.TEXT : RawWebSocket.CONTINUATION,
					offset + fragment >= message.length, part));
		}
		try (RawWebSocket socket = RawWebSocket.connect(this.port)) {
			socket.write(frames.toArray(byte[][]::new));
			assertThat(socket.closeCode(Duration.ofSeconds(10))).isEqualTo(1009);
		}
		theServerStillAnswers();
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|',
			textBlock = """
					subscribe without payload            | {"id":"1","type":"subscribe"}
					subscribe with an empty payload      | {"id":"1","type":"subscribe","payload":{}}
					subscribe without query              | {"id":"1","type":"subscribe","payload":{"variables":{}}}
					subscribe with an empty query        | {"id":"1","type":"subscribe","payload":{"query":""}}
					subscribe with a query not a string  | {"id":"1","type":"subscribe","payload":{"query":5}}
					subscribe with a payload not an object | {"id":"1","type":"subscribe","payload":"subscription { x }"}
					subscribe with an array payload      | {"id":"1","type":"subscribe","payload":[1,2]}
					subscribe with variables not an object | {"id":"1","type":"subscribe","payload":{"query":"{ me { id } }","variables":"x"}}
					subscribe without id                 | {"type":"subscribe","payload":{"query":"{ me { id } }"}}
					subscribe with an empty id           | {"id":"","type":"subscribe","payload":{"query":"{ me { id } }"}}
					subscribe with a numeric id          | {"id":7,"type":"subscribe","payload":{"query":"{ me { id } }"}}
					complete without id                  | {"type":"complete"}
					ping with a payload not an object    | {"type":"ping","payload":"hello"}
					""")
	void messagesOfTheWrongShapeCloseWith4400(String name, String message) {
		try (WsClient client = WsClient.connect(this.port).init(this.alice.token())) {
			client.sendText(message);
			assertThat(client.closeCode(Duration.ofSeconds(10))).isEqualTo(4400);
			assertThat(client.pending()).isZero();
		}
		theServerStillAnswers();
	}

	@Test
	void nothingAfterAMessageOfTheWrongShapeRuns() {
		try (RawWebSocket socket = RawWebSocket.connect(this.port)) {
			socket.write(RawWebSocket.message(Map.of("type", "connection_init", "payload",
					Map.of("Authorization", "Bearer " + this.alice.token()))));
			assertThat(socket.nextMessage()).containsEntry("type", "connection_ack");
			// in one TCP packet: a subscribe without an id, then a good one
			socket.write(RawWebSocket.message(Map.of("type", "subscribe", "payload", Map.of("query", "{ me { id } }"))),
					RawWebSocket
						.message(Map.of("id", "2", "type", "subscribe", "payload", Map.of("query", "{ me { id } }"))));
			List<String> received = new ArrayList<>();
			int code = -1;
			for (RawWebSocket.Frame frame = socket.read(); frame != null; frame = socket.read()) {
				if (frame.opcode() == RawWebSocket.CLOSE) {
					code = frame.closeCode();
					break;
				}
				received.add(frame.text());
			}
			assertThat(code).isEqualTo(4400);
			assertThat(received).isEmpty();
		}
		theServerStillAnswers();
	}

	@Test
	void aConnectionInitWithAPayloadNotAnObjectClosesWith4400() {
		try (WsClient client = WsClient.connect(this.port)) {
			client.sendText("{\"type\":\"connection_init\",\"payload\":\"Bearer " + this.alice.token() + "\"}");
			assertThat(client.closeCode(Duration.ofSeconds(10))).isEqualTo(4400);
			assertThat(client.pending()).isZero();
		}
		theServerStillAnswers();
	}

	@Test
	void aSubscribeBeforeConnectionAckClosesWith4401AndNothingRuns() throws Exception {
		// A token never used before: its user is read from the database before the ack,
		// and the test holds that read back with a lock, so the subscribe (sent in the
		// same TCP packet as connection_init) certainly arrives before the ack.
		String token = this.api.token("fresh_" + Long.toString(System.nanoTime(), 36));
		TestServices.Postgres postgres = TestServices.postgres();
		List<String> received = new ArrayList<>();
		int code = -1;
		try (Connection db = DriverManager.getConnection(postgres.jdbcUrl(), postgres.user(), postgres.password());
				RawWebSocket socket = RawWebSocket.connect(this.port)) {
			db.setAutoCommit(false);
			db.createStatement().execute("LOCK TABLE users IN ACCESS EXCLUSIVE MODE");
			try {
				socket.write(
						RawWebSocket.message(Map.of("type", "connection_init", "payload",
								Map.of("Authorization", "Bearer " + token))),
						RawWebSocket.message(Map.of("id", "1", "type", "subscribe", "payload",
								Map.of("query", "{ me { id handle } }"))));
				for (RawWebSocket.Frame frame = socket.read(); frame != null; frame = socket.read()) {
					if (frame.opcode() == RawWebSocket.CLOSE) {
						code = frame.closeCode();
						break;
					}
					received.add(frame.text());
				}
			}
			finally {
				db.rollback();
			}
		}
		assertThat(code).isEqualTo(4401);
		assertThat(received).isEmpty();
		theServerStillAnswers();
	}

	@Test
	@SuppressWarnings("unchecked")
	void hostileButValidTextArrivesUnchangedInSubscriptionEvents() {
		String board = Fixtures.board(this.alice, "Hostile");
		String column = Fixtures.column(this.alice, board, "Todo");
		String task = Fixtures.task(this.alice, column, "plain");
		String text = "Robert'); DROP TABLE tasks;-- \u202Eevil\u202C\t\u200F\u2066rtl\u2069 😀👩‍👩‍👧 %_\\ <script>&amp;\" '";
		try (WsClient client = WsClient.connect(this.port).init(this.alice.token())) {
			client.subscribe("1", SubscriptionTest.BOARD_CHANGED,
					SubscriptionTest.vars(board, SubscriptionTest.latestCursor(this.alice, board)));
			this.alice.graphql()
				.documentName("updateTask")
				.variable("input", Map.of("taskId", task, "title", text, "description", text))
				.execute()
				.path("updateTask.task.title")
				.entity(String.class)
				.isEqualTo(text);
			Map<String, Object> event = SubscriptionTest.event(client.next());
			assertThat(((Map<String, Object>) event.get("task")).get("title")).isEqualTo(text);
		}
		this.alice.graphql()
			.document("query($id: ID!) { task(id: $id) { title description } }")
			.variable("id", task)
			.execute()
			.path("task")
			.entity(Map.class)
			.isEqualTo(Map.of("title", text, "description", text));
	}

	/**
	 * Over HTTP, titles just over the limit and far over it are BAD_USER_INPUT (a body
	 * over the request size limit gets 413 before any of this: see the limits tests);
	 * over WebSocket, a megabyte title is a message over the size limit.
	 */
	@Test
	void aTitleJustOverTheLimitOrOfAMegabyteIsRefusedAndChangesNothing() {
		String board = Fixtures.board(this.alice, "Big");
		String column = Fixtures.column(this.alice, board, "Todo");
		String task = Fixtures.task(this.alice, column, "small");
		int seq = lastSeq(board);
		for (int length : new int[] { 201, 100_000 }) {
			this.alice.graphql()
				.documentName("updateTask")
				.variable("input", Map.of("taskId", task, "title", "t".repeat(length)))
				.execute()
				.errors()
				.satisfy((errors) -> assertThat(errors).singleElement()
					.satisfies((error) -> assertThat(error.getExtensions()).containsEntry("code", "BAD_USER_INPUT")
						.containsEntry("field", "input.title")));
		}
		try (WsClient client = WsClient.connect(this.port).init(this.alice.token())) {
			client.send(Map.of("id", "big", "type", "subscribe", "payload",
					Map.of("query", "mutation($i: UpdateTaskInput!) { updateTask(input: $i) { task { id } } }",
							"variables", Map.of("i", Map.of("taskId", task, "title", "m".repeat(1 << 20))))));
			// The server closes with 1009 as soon as the frame passes the limit, while
			// this
			// client is still sending the rest of the megabyte: the server's TCP stack
			// then
			// resets the connection, and a reset can discard the close frame before the
			// client reads it (-1, once in a CI run). The exact 1009 is asserted by the
			// tests above, whose messages are just over the limit.
			assertThat(client.closeCode(Duration.ofSeconds(10))).as("closed with 1009, or reset while still sending")
				.isIn(1009, -1);
			assertThat(client.pending()).isZero();
		}
		assertThat(lastSeq(board)).isEqualTo(seq);
		this.alice.graphql()
			.document("query($id: ID!) { task(id: $id) { title } }")
			.variable("id", task)
			.execute()
			.path("task.title")
			.entity(String.class)
			.isEqualTo("small");
		theServerStillAnswers();
	}

	int lastSeq(String board) {
		return this.alice.graphql()
			.document("query($id: ID!) { board(id: $id) { lastSeq } }")
			.variable("id", board)
			.execute()
			.path("board.lastSeq")
			.entity(Integer.class)
			.get();
	}

}
