package dev.boardcast.security;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The cache of verified tokens never answers for a token the decoder would not. */
class VerifiedTokensTest {

	private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

	private final AtomicReference<Instant> now = new AtomicReference<>(NOW);

	private final Clock clock = new Clock() {
		@Override
		public ZoneOffset getZone() {
			return ZoneOffset.UTC;
		}

		@Override
		public Clock withZone(java.time.ZoneId zone) {
			return this;
		}

		@Override
		public Instant instant() {
			return VerifiedTokensTest.this.now.get();
		}
	};

	private final AtomicInteger decoded = new AtomicInteger();

	private static Jwt jwt(String token, Instant expiresAt) {
		Jwt.Builder builder = Jwt.withTokenValue(token)
			.header("alg", "HS256")
			.subject("s")
			.issuedAt(NOW.minusSeconds(10));
		if (expiresAt != null) {
			builder.expiresAt(expiresAt);
		}
		return builder.build();
	}

	private ReactiveJwtDecoder decoder(Jwt answer) {
		return (token) -> {
			this.decoded.incrementAndGet();
			return (answer != null) ? Mono.just(answer) : Mono.error(new BadJwtException("bad"));
		};
	}

	@Test
	void aVerifiedTokenIsVerifiedOnceUntilItsExpiry() {
		VerifiedTokens tokens = new VerifiedTokens(decoder(jwt("t", NOW.plusSeconds(60))), this.clock);
		assertThat(tokens.decode("t").block().getSubject()).isEqualTo("s");
		assertThat(tokens.decode("t").block().getSubject()).isEqualTo("s");
		assertThat(this.decoded).hasValue(1);
		this.now.set(NOW.plusSeconds(60));
		tokens.decode("t").block();
		assertThat(this.decoded).hasValue(2);
	}

	@Test
	void refusedTokensAndTokensWithoutExpiryAreNeverKept() {
		VerifiedTokens refusing = new VerifiedTokens(decoder(null), this.clock);
		assertThatThrownBy(() -> refusing.decode("t").block()).isInstanceOf(BadJwtException.class);
		assertThatThrownBy(() -> refusing.decode("t").block()).isInstanceOf(BadJwtException.class);
		assertThat(this.decoded).hasValue(2);
		VerifiedTokens noExpiry = new VerifiedTokens(decoder(jwt("u", null)), this.clock);
		noExpiry.decode("u").block();
		noExpiry.decode("u").block();
		assertThat(this.decoded).hasValue(4);
	}

}
