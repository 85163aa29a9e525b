package dev.boardcast.ratelimit;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

import org.springframework.http.HttpStatus;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.security.authentication.TestingAuthenticationToken;
import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import org.springframework.web.server.WebFilter;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The cap on a user's requests in progress at once: the request past the cap is refused
 * with 429 and RATE_LIMITED while the others run, another user is not affected, and a
 * place comes back when a request ends, however it ends.
 */
class InFlightCapTest {

	static final int CAP = 3;

	/** A bucket that always has a token: only the cap decides here. */
	static final RateLimiter ALWAYS = new RateLimiter() {
		@Override
		public Mono<Verdict> user(String userId) {
			return Mono.just(Verdict.ALLOWED);
		}

		@Override
		public Mono<Verdict> anonymous(String address) {
			return Mono.just(Verdict.ALLOWED);
		}
	};

	final HttpRateLimits limits = new HttpRateLimits(ALWAYS, "/graphql", true, CAP);

	final WebFilter filter = this.limits.webFilter();

	/** Requests that run until the test ends them. */
	final List<Sinks.Empty<Void>> running = new ArrayList<>();

	MockServerWebExchange send(String user) {
		MockServerWebExchange exchange = MockServerWebExchange
			.from(MockServerHttpRequest.post("/graphql").body("{\"query\":\"{ me { id } }\"}"));
		Sinks.Empty<Void> handler = Sinks.empty();
		this.running.add(handler);
		this.filter.filter(exchange, (ex) -> handler.asMono())
			.contextWrite(ReactiveSecurityContextHolder
				.withAuthentication(new TestingAuthenticationToken(user, null, "ROLE_USER")))
			.subscribe();
		return exchange;
	}

	static boolean refused(MockServerWebExchange exchange) {
		return exchange.getResponse().getStatusCode() == HttpStatus.TOO_MANY_REQUESTS;
	}

	@Test
	void theRequestPastTheCapIsRefusedAndAPlaceComesBackWhenOneEnds() {
		List<MockServerWebExchange> alice = new ArrayList<>();
		for (int i = 0; i < CAP; i++) {
			alice.add(send("alice"));
		}
		assertThat(alice).noneMatch(InFlightCapTest::refused);

		MockServerWebExchange over = send("alice");
		assertThat(refused(over)).isTrue();
		assertThat(over.getResponse().getHeaders().getFirst("Retry-After")).isEqualTo("1");
		assertThat(over.getResponse().getBodyAsString().block()).contains("\"code\":\"RATE_LIMITED\"",
				"Too many requests at once");

		assertThat(refused(send("bob"))).as("another user").isFalse();

		this.running.get(0).tryEmitEmpty();
		assertThat(refused(send("alice"))).as("after one ended").isFalse();
		assertThat(refused(send("alice"))).as("the cap again").isTrue();

		this.running.get(1).tryEmitError(new IllegalStateException("failed"));
		assertThat(refused(send("alice"))).as("after one failed").isFalse();
	}

	@Test
	void aUserWithNothingInProgressLeavesNothingBehind() {
		send("carol");
		send("carol");
		this.running.forEach(Sinks.Empty::tryEmitEmpty);
		assertThat(refused(send("dave"))).isFalse();
		this.running.get(2).tryEmitEmpty();
		assertThat(this.limits.inFlightUsers()).isZero();
	}

	@Test
	void offWhenRateLimitingIsOff() {
		WebFilter off = new HttpRateLimits(ALWAYS, "/graphql", false, CAP).webFilter();
		for (int i = 0; i < 3 * CAP; i++) {
			MockServerWebExchange exchange = MockServerWebExchange
				.from(MockServerHttpRequest.post("/graphql").body("{}"));
			off.filter(exchange, (ex) -> Mono.never())
				.contextWrite(ReactiveSecurityContextHolder
					.withAuthentication(new TestingAuthenticationToken("erin", null, "ROLE_USER")))
				.subscribe();
			assertThat(refused(exchange)).isFalse();
		}
	}

}
