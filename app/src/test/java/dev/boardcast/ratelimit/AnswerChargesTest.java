package dev.boardcast.ratelimit;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import dev.boardcast.BoardcastApplication;
import dev.boardcast.support.WsClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.web.reactive.server.EntityExchangeResult;

import static dev.boardcast.ratelimit.Calls.assertRateLimited;
import static dev.boardcast.ratelimit.Calls.ok;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A user pays for the size of their answers, over HTTP and over graphql-ws: with one
 * token per object, an answer of two objects ({@code me}) costs twice what an answer of
 * one ({@code __typename}) costs, so a user asking for it gets half as many answers out
 * of the same bucket, and the next request is refused until the debt is paid.
 */
class AnswerChargesTest {

	static final int CAPACITY = 12;

	/** A replica without Redis, and one with its buckets in Redis. */
	static ConfigurableApplicationContext local;

	static ConfigurableApplicationContext shared;

	@BeforeAll
	static void start() {
		local = replica("--spring.data.redis.url=");
		shared = replica("--boardcast.rate-limit.max-unsynced-tokens=0");
	}

	static ConfigurableApplicationContext replica(String redis) {
		return new SpringApplicationBuilder(BoardcastApplication.class).run("--server.port=0", redis,
				"--boardcast.rate-limit.capacity=" + CAPACITY, "--boardcast.rate-limit.refill-per-second=0.01",
				"--boardcast.rate-limit.objects-per-token=1");
	}

	@AfterAll
	static void stop() {
		local.close();
		shared.close();
	}

	/** Both replicas (kept open across the tests: JUnit would close them after one). */
	static Stream<ConfigurableApplicationContext> replicas() {
		return Stream.of(local, shared);
	}

	static int port(ConfigurableApplicationContext replica) {
		return ((WebServerApplicationContext) replica).getWebServer().getPort();
	}

	@SuppressWarnings("unchecked")
	static String token(Calls calls, String prefix) {
		return (String) calls.devToken(prefix + Long.toString(System.nanoTime() % 1_000_000, 36))
			.getResponseBody()
			.get("token");
	}

	/** Answers a user gets over HTTP before the first refusal, which must be a 429. */
	@SuppressWarnings("rawtypes")
	static int answersOverHttp(Calls calls, String token, String document) {
		for (int answered = 0; answered <= CAPACITY; answered++) {
			EntityExchangeResult<Map> result = calls.graphql(token, document, Map.of());
			if (!ok(result)) {
				assertRateLimited(result);
				return answered;
			}
		}
		throw new AssertionError("never refused");
	}

	@ParameterizedTest(autoCloseArguments = false)
	@MethodSource("replicas")
	void aLargerAnswerCostsMoreTokensOverHttp(ConfigurableApplicationContext replica) {
		Calls calls = new Calls(port(replica));
		// {"__typename": ...}: one object, one token
		assertThat(answersOverHttp(calls, token(calls, "small_"), "{ __typename }")).isEqualTo(CAPACITY);
		// {"me": {"id": ...}}: two objects, two tokens
		assertThat(answersOverHttp(calls, token(calls, "large_"), "{ me { id } }")).isEqualTo(CAPACITY / 2);
	}

	@ParameterizedTest(autoCloseArguments = false)
	@MethodSource("replicas")
	@SuppressWarnings("unchecked")
	void queriesOverGraphqlWsPayTheSame(ConfigurableApplicationContext replica) {
		Calls calls = new Calls(port(replica));
		String token = token(calls, "socket_");
		try (WsClient socket = WsClient.connect(port(replica)).init(token)) {
			int answered = 0;
			for (int i = 0; i <= CAPACITY; i++) {
				socket.subscribe(Integer.toString(i), "{ me { id } }", Map.of());
				Map<String, Object> message = socket.next();
				if ("error".equals(message.get("type"))) {
					Map<String, Object> error = ((List<Map<String, Object>>) message.get("payload")).get(0);
					assertThat((Map<String, Object>) error.get("extensions")).containsEntry("code", "RATE_LIMITED");
					break;
				}
				assertThat(message).containsEntry("type", "next");
				assertThat(socket.next()).containsEntry("type", "complete");
				answered++;
			}
			assertThat(answered).isEqualTo(CAPACITY / 2);
		}
	}

}
