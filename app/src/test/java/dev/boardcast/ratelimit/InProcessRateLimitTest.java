package dev.boardcast.ratelimit;

import java.time.Duration;
import java.util.Map;

import dev.boardcast.BoardcastApplication;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.web.reactive.server.EntityExchangeResult;

import static dev.boardcast.ratelimit.Calls.assertRateLimited;
import static dev.boardcast.ratelimit.Calls.ok;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Without Redis (the embedded default) the same limits hold per replica, in its memory;
 * anonymous {@code /dev/token} calls are limited per remote address.
 */
class InProcessRateLimitTest {

	static final int CAPACITY = 5;

	static final int ANONYMOUS_CAPACITY = 3;

	static ConfigurableApplicationContext app;

	static Calls calls;

	static String alice;

	@BeforeAll
	@SuppressWarnings("unchecked")
	static void start() {
		// A blank Redis URL means "not configured", as an empty environment variable
		// would.
		app = new SpringApplicationBuilder(BoardcastApplication.class).run("--server.port=0",
				"--spring.data.redis.url=", "--boardcast.rate-limit.capacity=" + CAPACITY,
				"--boardcast.rate-limit.refill-per-second=0.2",
				"--boardcast.rate-limit.anonymous.capacity=" + ANONYMOUS_CAPACITY,
				"--boardcast.rate-limit.anonymous.refill-per-second=1");
		calls = new Calls(((WebServerApplicationContext) app).getWebServer().getPort());
		alice = (String) calls.devToken("local_" + Long.toString(System.nanoTime() % 1_000_000, 36))
			.getResponseBody()
			.get("token");
	}

	@AfterAll
	static void stop() {
		app.close();
	}

	@Test
	@SuppressWarnings("rawtypes")
	void theInProcessLimiterRefusesAUserOverTheLimit() {
		assertThat(app.getBean(Buckets.class)).isInstanceOf(LocalBuckets.class);
		long start = System.nanoTime();
		int allowed = 0;
		EntityExchangeResult<Map> refused = null;
		for (int i = 0; i < 3 * CAPACITY && refused == null; i++) {
			EntityExchangeResult<Map> result = calls.me(alice);
			if (ok(result)) {
				allowed++;
			}
			else {
				refused = result;
			}
		}
		assertThat(refused).isNotNull();
		assertRateLimited(refused);
		int refilled = (int) Math.ceil((System.nanoTime() - start) / 1e9 * 0.2);
		assertThat(allowed).isBetween(CAPACITY, CAPACITY + refilled);
	}

	@Test
	@SuppressWarnings({ "rawtypes", "unchecked" })
	void devTokenIsLimitedPerRemoteAddressAndRecoversAfterRetryAfter() {
		EntityExchangeResult<Map> refused = null;
		for (int i = 0; i < 3 * ANONYMOUS_CAPACITY && refused == null; i++) {
			EntityExchangeResult<Map> result = calls.devToken("anon_" + i);
			if (result.getStatus().value() != 200) {
				refused = result;
			}
		}
		assertThat(refused).isNotNull();
		assertThat(refused.getStatus().value()).isEqualTo(429);
		long retryAfter = Long.parseLong(refused.getResponseHeaders().getFirst("Retry-After"));
		assertThat(retryAfter).isEqualTo(1);
		assertThat((Map<String, Object>) refused.getResponseBody()).containsEntry("code", "RATE_LIMITED")
			.containsEntry("retryAfterSeconds", 1);
		Calls.sleep(Duration.ofSeconds(retryAfter).plusMillis(100));
		assertThat(calls.devToken("anon_after").getStatus().value()).isEqualTo(200);
	}

}
