package dev.boardcast.ratelimit;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
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
 * Each user's line: past the requests that run at once, the next ones wait their turn and
 * run in order as earlier ones end (however they end); past the waiting places a request
 * is refused with 429 and RATE_LIMITED; another user is not held up; a request given up
 * while waiting leaves the line; nothing is left behind.
 */
class InFlightCapTest {

	static final int RUNNING = 2;

	static final int WAITING = 2;

	/** A bucket that always has a token: only the line decides here. */
	static final RateLimiter ALWAYS = new RateLimiter() {
		@Override
		public Mono<Verdict> user(String userId) {
			return Mono.just(Verdict.ALLOWED);
		}

		@Override
		public Mono<Void> used(String userId, long objects) {
			return Mono.empty();
		}

		@Override
		public Mono<Verdict> anonymous(String address) {
			return Mono.just(Verdict.ALLOWED);
		}
	};

	final InFlight lines = new InFlight(RUNNING, WAITING);

	final HttpRateLimits limits = new HttpRateLimits(ALWAYS, "/graphql", this.lines);

	final WebFilter filter = this.limits.webFilter();

	/** A request sent through the filter, whose handler runs until the test ends it. */
	record Sent(MockServerWebExchange exchange, AtomicBoolean started, Sinks.Empty<Void> handler,
			Disposable subscription) {

		boolean refused() {
			return this.exchange.getResponse().getStatusCode() == HttpStatus.TOO_MANY_REQUESTS;
		}

		void end() {
			this.handler.tryEmitEmpty();
		}

	}

	Sent send(String user) {
		MockServerWebExchange exchange = MockServerWebExchange
			.from(MockServerHttpRequest.post("/graphql").body("{\"query\":\"{ me { id } }\"}"));
		Sinks.Empty<Void> handler = Sinks.empty();
		AtomicBoolean started = new AtomicBoolean();
		Disposable subscription = this.filter.filter(exchange, (ex) -> {
			started.set(true);
			return handler.asMono();
		})
			.contextWrite(ReactiveSecurityContextHolder
				.withAuthentication(new TestingAuthenticationToken(user, null, "ROLE_USER")))
			// a handler that fails is one of the cases
			.onErrorComplete()
			.subscribe();
		return new Sent(exchange, started, handler, subscription);
	}

	@Test
	void requestsPastTheRunningOnesWaitAndRunInOrderAsEarlierOnesEnd() {
		Sent first = send("alice");
		Sent second = send("alice");
		Sent third = send("alice");
		Sent fourth = send("alice");
		assertThat(List.of(first, second)).allMatch((sent) -> sent.started().get());
		assertThat(List.of(third, fourth)).noneMatch((sent) -> sent.started().get() || sent.refused());

		Sent bob = send("bob");
		assertThat(bob.started()).as("another user is not held up").isTrue();

		first.end();
		assertThat(third.started()).as("the first in line runs when a place frees").isTrue();
		assertThat(fourth.started()).isFalse();
		second.handler().tryEmitError(new IllegalStateException("failed"));
		assertThat(fourth.started()).as("a failed request frees its place too").isTrue();
	}

	@Test
	void aRequestPastTheWaitingPlacesIsRefused() {
		for (int i = 0; i < RUNNING + WAITING; i++) {
			send("carol");
		}
		Sent over = send("carol");
		assertThat(over.refused()).isTrue();
		assertThat(over.started()).isFalse();
		assertThat(over.exchange().getResponse().getHeaders().getFirst("Retry-After")).isEqualTo("1");
		assertThat(over.exchange().getResponse().getBodyAsString().block()).contains("\"code\":\"RATE_LIMITED\"",
				"Too many requests at once");
	}

	@Test
	void aRequestGivenUpWhileWaitingLeavesTheLine() {
		Sent first = send("dave");
		send("dave");
		Sent givenUp = send("dave");
		Sent next = send("dave");
		givenUp.subscription().dispose();
		Sent another = send("dave");
		assertThat(another.refused()).as("the place it left is free again").isFalse();

		first.end();
		assertThat(givenUp.started()).isFalse();
		assertThat(next.started()).isTrue();
	}

	@Test
	void aUserWithNothingRunningOrWaitingLeavesNothingBehind() {
		List<Sent> sent = List.of(send("erin"), send("erin"), send("erin"), send("erin"));
		sent.get(3).subscription().dispose();
		sent.forEach(Sent::end);
		assertThat(sent.get(2).started()).isTrue();
		assertThat(this.lines.users()).isZero();
	}

	@Test
	void withoutALineEveryOperationGetsAPlaceAtOnce() {
		// graphql-ws operations ask the line directly, rate limiting on or off
		InFlight none = new InFlight(0, 0);
		for (int i = 0; i < 100; i++) {
			assertThat(none.acquire("gina").block(Duration.ofSeconds(1))).isNotNull();
		}
		assertThat(none.users()).isZero();
	}

	@Test
	void offWhenRateLimitingIsOff() {
		WebFilter off = new HttpRateLimits(ALWAYS, "/graphql", new InFlight(0, WAITING)).webFilter();
		AtomicInteger started = new AtomicInteger();
		for (int i = 0; i < 3 * (RUNNING + WAITING); i++) {
			MockServerWebExchange exchange = MockServerWebExchange
				.from(MockServerHttpRequest.post("/graphql").body("{}"));
			off.filter(exchange, (ex) -> {
				started.incrementAndGet();
				return Mono.never();
			})
				.contextWrite(ReactiveSecurityContextHolder
					.withAuthentication(new TestingAuthenticationToken("frank", null, "ROLE_USER")))
				.subscribe();
		}
		assertThat(started).hasValue(3 * (RUNNING + WAITING));
	}

}
