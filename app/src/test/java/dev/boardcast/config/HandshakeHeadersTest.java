package dev.boardcast.config;

import java.time.Duration;
import java.util.Map;

import dev.boardcast.support.Api;
import dev.boardcast.support.BoardcastTest;
import dev.boardcast.support.RawWebSocket;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.web.reactive.socket.WebSocketSession;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An open socket keeps nothing of its upgrade request: neither Spring's session nor
 * Reactor Netty's connection holds its headers (a browser's user agent, languages and a
 * kilobyte of cookies) for the socket's life, and the upgrade does not pass through the
 * security chain, whose filters would live as long as the socket.
 */
@BoardcastTest
class HandshakeHeadersTest {

	static final Map<String, String> BROWSER_HEADERS = Map.of("User-Agent",
			"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0 Safari/537.36",
			"Accept-Language", "en-US,en;q=0.9,de;q=0.8", "Cache-Control", "no-cache", "Cookie",
			"session=" + "x".repeat(1500) + "; theme=dark", "X-Trace", "y".repeat(500));

	@LocalServerPort
	int port;

	@Autowired
	WebSocketConfig.ClosingWebSocketHandler webSockets;

	@Test
	void anOpenSocketKeepsNoneOfItsUpgradeRequest() throws InterruptedException {
		String token = new Api(this.port).newUser("handshake").token();
		try (RawWebSocket socket = RawWebSocket.connect(this.port, BROWSER_HEADERS)) {
			socket.write(RawWebSocket
				.message(Map.of("type", "connection_init", "payload", Map.of("Authorization", "Bearer " + token))));
			assertThat(socket.nextMessage()).containsEntry("type", "connection_ack");

			ValidatingSession session = sessionOf(socket.localPort());
			assertThat(session.getHandshakeInfo().getHeaders().isEmpty()).isTrue();
			assertThat(session.getHandshakeInfo().getCookies()).isEmpty();
			assertThat(session.getHandshakeInfo().getSubProtocol()).isEqualTo("graphql-transport-ws");
			assertThat(((WebSocketConfig.NettySocket) session.delegate()).upgradeRequestHeaders().isEmpty()).isTrue();

			// and the socket works as before
			socket.write(RawWebSocket
				.message(Map.of("id", "1", "type", "subscribe", "payload", Map.of("query", "{ me { handle } }"))));
			Map<String, Object> next = socket.nextMessage();
			assertThat(next).containsEntry("type", "next").containsEntry("id", "1");
			assertThat(next.get("payload").toString()).contains("handshake");
		}
	}

	@Test
	void theUpgradeSkipsTheSecurityChainWhoseHeadersAnHttpAnswerCarries() {
		String upgraded = RawWebSocket.upgradeResponse(this.port, BROWSER_HEADERS).toLowerCase();
		assertThat(upgraded).startsWith("http/1.1 101")
			.contains("sec-websocket-protocol: graphql-transport-ws")
			.doesNotContain("x-content-type-options")
			.doesNotContain("x-frame-options");
		// the same server's HTTP answers pass through it
		new Api(this.port).client()
			.get()
			.uri("/actuator/health/readiness")
			.exchange()
			.expectHeader()
			.valueEquals("X-Content-Type-Options", "nosniff");
	}

	private ValidatingSession sessionOf(int clientPort) throws InterruptedException {
		long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
		while (System.nanoTime() < deadline) {
			for (WebSocketSession session : this.webSockets.openSessions()) {
				var remote = session.getHandshakeInfo().getRemoteAddress();
				if (remote != null && remote.getPort() == clientPort) {
					return (ValidatingSession) session;
				}
			}
			Thread.sleep(20);
		}
		throw new AssertionError("no open session from port " + clientPort);
	}

}
