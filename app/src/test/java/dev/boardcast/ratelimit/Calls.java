package dev.boardcast.ratelimit;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Raw GraphQL calls over HTTP, so a test sees the status, the headers and the body as a
 * client does (the tester of support/Api expects 200s).
 */
final class Calls {

	private final WebTestClient client;

	Calls(int port) {
		this.client = WebTestClient.bindToServer()
			.baseUrl("http://localhost:" + port)
			.responseTimeout(Duration.ofSeconds(30))
			.build();
	}

	@SuppressWarnings("rawtypes")
	EntityExchangeResult<Map> graphql(String token, String document, Map<String, Object> variables) {
		Map<String, Object> body = new HashMap<>();
		body.put("query", document);
		body.put("variables", variables);
		return this.client.post()
			.uri("/graphql")
			.header("Authorization", "Bearer " + token)
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(body)
			.exchange()
			.expectBody(Map.class)
			.returnResult();
	}

	@SuppressWarnings("rawtypes")
	EntityExchangeResult<Map> me(String token) {
		return graphql(token, "{ me { id } }", Map.of());
	}

	@SuppressWarnings("rawtypes")
	EntityExchangeResult<Map> devToken(String handle) {
		return this.client.post()
			.uri("/dev/token")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("handle", handle))
			.exchange()
			.expectBody(Map.class)
			.returnResult();
	}

	/** A refusal as the contract says: 429, Retry-After, and RATE_LIMITED in the body. */
	@SuppressWarnings({ "rawtypes", "unchecked" })
	static long assertRateLimited(EntityExchangeResult<Map> result) {
		assertThat(result.getStatus().value()).isEqualTo(429);
		String retryAfter = result.getResponseHeaders().getFirst("Retry-After");
		assertThat(retryAfter).as("Retry-After").isNotNull();
		long seconds = Long.parseLong(retryAfter);
		assertThat(seconds).isPositive();
		Map<String, Object> error = ((List<Map<String, Object>>) result.getResponseBody().get("errors")).get(0);
		assertThat((String) error.get("message")).contains("retry in " + seconds + " s");
		Map<String, Object> extensions = (Map<String, Object>) error.get("extensions");
		assertThat(extensions).containsEntry("code", "RATE_LIMITED");
		assertThat(((Number) extensions.get("retryAfterSeconds")).longValue()).isEqualTo(seconds);
		return seconds;
	}

	@SuppressWarnings("rawtypes")
	static boolean ok(EntityExchangeResult<Map> result) {
		return result.getStatus().value() == 200 && !result.getResponseBody().containsKey("errors");
	}

	static void sleep(Duration duration) {
		try {
			Thread.sleep(duration.toMillis());
		}
		catch (InterruptedException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
