package dev.boardcast.api;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import dev.boardcast.support.Api;
import dev.boardcast.support.BoardcastTest;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One kept-alive HTTP/1.1 connection keeps answering, whatever its previous requests got.
 * Browsers and load balancers reuse connections; a request that arrives while the
 * previous one is still finishing, and is then refused at once (401, 404), once left the
 * connection unread for good, so the client's next request hung (a Reactor Netty bug that
 * config/KeepAliveReadResume works around). Pipelining the two requests makes the timing
 * certain; the loop is how ordinary clients met it.
 */
@BoardcastTest
class KeptAliveConnectionTest {

	static final String QUERY = "{\"query\":\"{ me { handle } }\"}";

	@LocalServerPort
	int port;

	@Test
	void aRequestAfterAPipelinedRefusalIsAnswered() throws IOException {
		Api.Client alice = new Api(this.port).newUser("keepalive");
		String answered = post(QUERY, "Authorization: " + alice.bearer());
		String refused = post(QUERY);
		String notFound = "GET /no-such-page HTTP/1.1\r\nHost: localhost\r\n\r\n";
		try (Connection connection = new Connection(this.port)) {
			connection.send(answered + refused);
			assertThat(connection.statuses(2)).containsExactly(200, 401);
			connection.send(answered + notFound);
			assertThat(connection.statuses(2)).containsExactly(200, 404);
			connection.send(answered);
			assertThat(connection.statuses(1)).containsExactly(200);
		}
	}

	@Test
	void refusedAndAnsweredRequestsTakeTurnsOnOneConnection() throws IOException {
		Api.Client alice = new Api(this.port).newUser("keepalive");
		String answered = post(QUERY, "Authorization: " + alice.bearer());
		String refused = post(QUERY);
		try (Connection connection = new Connection(this.port)) {
			for (int i = 0; i < 200; i++) {
				connection.send(answered);
				assertThat(connection.statuses(1)).as("answered request %d", i).containsExactly(200);
				connection.send(refused);
				assertThat(connection.statuses(1)).as("refused request %d", i).containsExactly(401);
			}
		}
	}

	static String post(String body, String... headers) {
		StringBuilder request = new StringBuilder("POST /graphql HTTP/1.1\r\nHost: localhost\r\n");
		for (String header : headers) {
			request.append(header).append("\r\n");
		}
		return request.append("Content-Type: application/json\r\nContent-Length: ")
			.append(body.getBytes(StandardCharsets.UTF_8).length)
			.append("\r\n\r\n")
			.append(body)
			.toString();
	}

	/** A client's socket that reads whole responses (Content-Length or chunked). */
	static final class Connection implements AutoCloseable {

		private final Socket socket;

		private final InputStream in;

		private final OutputStream out;

		Connection(int port) throws IOException {
			this.socket = new Socket("127.0.0.1", port);
			// Long enough for a slow shared machine; a hang waits for it and fails.
			this.socket.setSoTimeout(20_000);
			this.in = this.socket.getInputStream();
			this.out = this.socket.getOutputStream();
		}

		void send(String requests) throws IOException {
			this.out.write(requests.getBytes(StandardCharsets.UTF_8));
			this.out.flush();
		}

		/** The statuses of the next {@code count} responses, each read in full. */
		List<Integer> statuses(int count) throws IOException {
			List<Integer> statuses = new ArrayList<>();
			try {
				for (int i = 0; i < count; i++) {
					statuses.add(readResponse());
				}
			}
			catch (SocketTimeoutException ex) {
				throw new AssertionError("no answer on the kept-alive connection after " + statuses, ex);
			}
			return statuses;
		}

		private int readResponse() throws IOException {
			String statusLine = line();
			assertThat(statusLine).startsWith("HTTP/1.1 ");
			int status = Integer.parseInt(statusLine.substring(9, 12));
			long length = 0;
			boolean chunked = false;
			for (String header = line(); !header.isEmpty(); header = line()) {
				String lower = header.toLowerCase(Locale.ROOT);
				if (lower.startsWith("content-length:")) {
					length = Long.parseLong(lower.substring(15).trim());
				}
				else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
					chunked = true;
				}
			}
			if (chunked) {
				for (long size = Long.parseLong(line().trim(), 16); size > 0; size = Long.parseLong(line().trim(),
						16)) {
					skip(size);
					line();
				}
				line();
			}
			else {
				skip(length);
			}
			return status;
		}

		private String line() throws IOException {
			ByteArrayOutputStream line = new ByteArrayOutputStream();
			for (int b = this.in.read(); b != '\n'; b = this.in.read()) {
				if (b < 0) {
					throw new IOException("connection closed by the server");
				}
				if (b != '\r') {
					line.write(b);
				}
			}
			return line.toString(StandardCharsets.UTF_8);
		}

		private void skip(long bytes) throws IOException {
			for (long left = bytes; left > 0; left--) {
				if (this.in.read() < 0) {
					throw new IOException("connection closed by the server");
				}
			}
		}

		@Override
		public void close() throws IOException {
			this.socket.close();
		}

	}

}
