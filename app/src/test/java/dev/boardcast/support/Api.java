package dev.boardcast.support;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.springframework.graphql.test.tester.HttpGraphQlTester;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/** Calls a running Boardcast over HTTP as different users. */
public class Api {

	private static final AtomicInteger users = new AtomicInteger();

	private final String baseUrl;

	private final WebTestClient client;

	public Api(int port) {
		this.baseUrl = "http://localhost:" + port;
		this.client = WebTestClient.bindToServer()
			.baseUrl(this.baseUrl)
			.responseTimeout(Duration.ofSeconds(60))
			.build();
	}

	public WebTestClient client() {
		return this.client;
	}

	/**
	 * A user as the client sees them: handle, token, id and a GraphQL tester that sends
	 * the token.
	 */
	public record Client(String handle, String token, String id, HttpGraphQlTester graphql) {

		public String bearer() {
			return "Bearer " + this.token;
		}

	}

	/** A new user with a unique handle, signed in through the development issuer. */
	public Client newUser(String prefix) {
		return signIn(prefix + "_" + users.incrementAndGet() + "_" + Long.toString(System.nanoTime() % 100000, 36));
	}

	public Client signIn(String handle) {
		String token = token(handle);
		HttpGraphQlTester graphql = HttpGraphQlTester
			.builder(WebTestClient.bindToServer().responseTimeout(Duration.ofSeconds(60)))
			.url(URI.create(this.baseUrl + "/graphql"))
			.header("Authorization", "Bearer " + token)
			.build();
		String id = graphql.document("{ me { id } }").execute().path("me.id").entity(String.class).get();
		return new Client(handle, token, id, graphql);
	}

	public String token(String handle) {
		@SuppressWarnings("unchecked")
		Map<String, String> body = this.client.post()
			.uri("/dev/token")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("handle", handle))
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(Map.class)
			.returnResult()
			.getResponseBody();
		return body.get("token");
	}

	/** What {@code /actuator/prometheus} shows now. */
	public String metrics() {
		return this.client.get()
			.uri("/actuator/prometheus")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
	}

}
