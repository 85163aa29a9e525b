package dev.boardcast.security;

import java.util.Map;

import dev.boardcast.support.BoardcastTest;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/** The local default: a development issuer, and the web client told so. */
@BoardcastTest
class DevIssuerTest {

	@LocalServerPort
	int port;

	WebTestClient client() {
		return WebTestClient.bindToServer().baseUrl("http://localhost:" + this.port).build();
	}

	@Test
	void signInModeIsDev() {
		client().get().uri("/auth/config").exchange().expectStatus().isOk().expectBody().json("{\"mode\":\"dev\"}");
	}

	@Test
	void badHandlesGetAClearError() {
		client().post()
			.uri("/dev/token")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("handle", "a b"))
			.exchange()
			.expectStatus()
			.isBadRequest()
			.expectBody()
			.jsonPath("$.code")
			.isEqualTo("BAD_USER_INPUT");
	}

}
