package dev.boardcast.ratelimit;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import dev.boardcast.BoardcastApplication;
import dev.boardcast.support.WsClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static dev.boardcast.ratelimit.Calls.ok;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code boardcast.rate-limit.enabled=false} (what the benchmarks run with) limits
 * nothing: no bucket, no line, over HTTP and over graphql-ws, with many operations of one
 * user at once.
 */
class RateLimitOffTest {

	static final int OPERATIONS = 40;

	static ConfigurableApplicationContext app;

	static Calls calls;

	static int port;

	@BeforeAll
	static void start() {
		app = new SpringApplicationBuilder(BoardcastApplication.class).run("--server.port=0",
				"--spring.data.redis.url=", "--boardcast.rate-limit.enabled=false", "--boardcast.rate-limit.capacity=1",
				"--boardcast.rate-limit.refill-per-second=0.01");
		port = ((WebServerApplicationContext) app).getWebServer().getPort();
		calls = new Calls(port);
	}

	@AfterAll
	static void stop() {
		app.close();
	}

	@Test
	@SuppressWarnings("unchecked")
	void nothingIsLimitedOverHttpOrGraphqlWs() {
		String token = (String) calls.devToken("off_" + Long.toString(System.nanoTime() % 1_000_000, 36))
			.getResponseBody()
			.get("token");
		for (int i = 0; i < OPERATIONS; i++) {
			assertThat(ok(calls.me(token))).as("request %d over HTTP", i).isTrue();
		}
		try (WsClient socket = WsClient.connect(port).init(token)) {
			for (int i = 0; i < OPERATIONS; i++) {
				socket.subscribe(Integer.toString(i), "{ me { handle } }", Map.of());
			}
			Set<Object> answered = new HashSet<>();
			while (answered.size() < OPERATIONS) {
				Map<String, Object> message = socket.next();
				assertThat(message.get("type")).as("no refusal: %s", message).isIn("next", "complete");
				if ("complete".equals(message.get("type"))) {
					answered.add(message.get("id"));
				}
			}
		}
	}

}
