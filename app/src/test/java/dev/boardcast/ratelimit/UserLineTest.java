package dev.boardcast.ratelimit;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.boardcast.BoardcastApplication;
import dev.boardcast.support.WsClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.web.reactive.server.EntityExchangeResult;

import static dev.boardcast.ratelimit.Calls.ok;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The user's line on a running server, over HTTP and over graphql-ws alike: with one
 * place to run and one to wait, and the running place taken, the user's next operation
 * waits (and runs once the place is free), and the one after it is refused with
 * RATE_LIMITED, "Too many requests at once".
 */
class UserLineTest {

	static ConfigurableApplicationContext app;

	static Calls calls;

	static int port;

	@BeforeAll
	static void start() {
		app = new SpringApplicationBuilder(BoardcastApplication.class).run("--server.port=0",
				"--spring.data.redis.url=", "--boardcast.rate-limit.concurrent-requests=1",
				"--boardcast.rate-limit.waiting-requests=1");
		port = ((WebServerApplicationContext) app).getWebServer().getPort();
		calls = new Calls(port);
	}

	@AfterAll
	static void stop() {
		app.close();
	}

	/** A new user's token and id. */
	@SuppressWarnings({ "unchecked", "rawtypes" })
	static String[] user(String prefix) {
		String token = (String) calls.devToken(prefix + Long.toString(System.nanoTime() % 1_000_000, 36))
			.getResponseBody()
			.get("token");
		EntityExchangeResult<Map> me = calls.me(token);
		Map<String, Object> data = (Map<String, Object>) me.getResponseBody().get("data");
		return new String[] { token, (String) ((Map<String, Object>) data.get("me")).get("id") };
	}

	/** Takes the user's one running place, as a request of theirs still running would. */
	static InFlight.Place hold(String userId) {
		return app.getBean(InFlight.class).acquire(userId).block(Duration.ofSeconds(5));
	}

	@Test
	@SuppressWarnings({ "rawtypes", "unchecked" })
	void overHttpTheNextRequestWaitsAndTheOneAfterIsRefused() throws Exception {
		String[] alice = user("line_http_");
		InFlight.Place held = hold(alice[1]);
		CompletableFuture<EntityExchangeResult<Map>> waiting = CompletableFuture
			.supplyAsync(() -> calls.graphql(alice[0], "{ me { handle } }", Map.of()));
		Thread.sleep(300);
		assertThat(waiting).as("waits while the place is taken").isNotDone();

		EntityExchangeResult<Map> refused = calls.me(alice[0]);
		assertThat(refused.getStatus().value()).isEqualTo(429);
		Map<String, Object> error = ((List<Map<String, Object>>) refused.getResponseBody().get("errors")).get(0);
		assertThat((String) error.get("message")).startsWith("Too many requests at once");
		assertThat((Map<String, Object>) error.get("extensions")).containsEntry("code", "RATE_LIMITED");

		held.release();
		assertThat(ok(waiting.get(10, TimeUnit.SECONDS))).as("runs once the place is free").isTrue();
	}

	@Test
	@SuppressWarnings("unchecked")
	void overGraphqlWsTheSame() {
		String[] bob = user("line_ws_");
		try (WsClient socket = WsClient.connect(port).init(bob[0])) {
			InFlight.Place held = hold(bob[1]);
			socket.subscribe("waits", "{ me { handle } }", Map.of());
			assertThat(socket.poll(Duration.ofMillis(300))).as("waits while the place is taken").isNull();

			socket.subscribe("refused", "{ me { handle } }", Map.of());
			Map<String, Object> message = socket.next();
			assertThat(message).containsEntry("type", "error").containsEntry("id", "refused");
			Map<String, Object> error = ((List<Map<String, Object>>) message.get("payload")).get(0);
			assertThat((String) error.get("message")).startsWith("Too many requests at once");
			assertThat((Map<String, Object>) error.get("extensions")).containsEntry("code", "RATE_LIMITED");

			held.release();
			assertThat(socket.next()).containsEntry("type", "next").containsEntry("id", "waits");
			assertThat(socket.next()).containsEntry("type", "complete").containsEntry("id", "waits");
		}
	}

}
