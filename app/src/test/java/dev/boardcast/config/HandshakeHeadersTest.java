package dev.boardcast.config;

import java.time.Duration;
import java.util.Map;

import dev.boardcast.support.Api;
import dev.boardcast.support.BoardcastTest;
import dev.boardcast.support.RawWebSocket;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.web.reactive.socket.HandshakeInfo;
import org.springframework.web.reactive.socket.WebSocketSession;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An open socket keeps only the headers of its handshake: what a browser sends besides
 * (user agent, languages, a kilobyte of cookies) is not held for the socket's life.
 */
@BoardcastTest
class HandshakeHeadersTest {

	@LocalServerPort
	int port;

	@Autowired
	WebSocketConfig.ClosingWebSocketHandler webSockets;

	@Test
	void anOpenSocketKeepsTheHandshakeHeadersAndNothingElse() throws InterruptedException {
		String token = new Api(this.port).newUser("handshake").token();
		Map<String, String> browserHeaders = Map.of("User-Agent",
				"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0 Safari/537.36",
				"Accept-Language", "en-US,en;q=0.9,de;q=0.8", "Cache-Control", "no-cache", "Cookie",
				"session=" + "x".repeat(1500) + "; theme=dark", "X-Trace", "y".repeat(500));
		try (RawWebSocket socket = RawWebSocket.connect(this.port, browserHeaders)) {
			socket.write(RawWebSocket
				.message(Map.of("type", "connection_init", "payload", Map.of("Authorization", "Bearer " + token))));
			assertThat(socket.nextMessage()).containsEntry("type", "connection_ack");

			HandshakeInfo handshake = handshakeOf(socket.localPort());
			assertThat(handshake.getHeaders().headerNames()).map(String::toLowerCase)
				.containsExactlyInAnyOrder("host", "upgrade", "connection", "sec-websocket-key",
						"sec-websocket-version", "sec-websocket-protocol");
			assertThat(handshake.getHeaders().getFirst("Sec-WebSocket-Protocol")).isEqualTo("graphql-transport-ws");
			assertThat(handshake.getCookies()).isEmpty();

			// and the socket works as before
			socket.write(RawWebSocket
				.message(Map.of("id", "1", "type", "subscribe", "payload", Map.of("query", "{ me { handle } }"))));
			Map<String, Object> next = socket.nextMessage();
			assertThat(next).containsEntry("type", "next").containsEntry("id", "1");
			assertThat(next.get("payload").toString()).contains("handshake");
		}
	}

	private HandshakeInfo handshakeOf(int clientPort) throws InterruptedException {
		long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
		while (System.nanoTime() < deadline) {
			for (WebSocketSession session : this.webSockets.openSessions()) {
				HandshakeInfo handshake = session.getHandshakeInfo();
				if (handshake.getRemoteAddress() != null && handshake.getRemoteAddress().getPort() == clientPort) {
					return handshake;
				}
			}
			Thread.sleep(20);
		}
		throw new AssertionError("no open session from port " + clientPort);
	}

}
