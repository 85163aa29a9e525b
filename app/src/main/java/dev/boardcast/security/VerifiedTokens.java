package dev.boardcast.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import reactor.core.publisher.Mono;

import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;

/**
 * Tokens this replica has already verified (signature, issuer, audience, time), by their
 * exact text, so a client sending the same token on every request is verified once: the
 * text of a token cannot change without its signature failing. An entry lives until the
 * token's {@code exp} at the latest (the decoder itself would accept it a clock-skew
 * longer), so an expired token is never answered from here; tokens without {@code exp}
 * are never kept. Bounded in size; a token the decoder refuses is never kept.
 */
final class VerifiedTokens implements ReactiveJwtDecoder {

	static final long MAX_SIZE = 10_000;

	private final ReactiveJwtDecoder decoder;

	private final Clock clock;

	private final Cache<String, Jwt> verified;

	VerifiedTokens(ReactiveJwtDecoder decoder) {
		this(decoder, Clock.systemUTC());
	}

	VerifiedTokens(ReactiveJwtDecoder decoder, Clock clock) {
		this.decoder = decoder;
		this.clock = clock;
		this.verified = Caffeine.newBuilder().maximumSize(MAX_SIZE).expireAfter(new Expiry<String, Jwt>() {
			@Override
			public long expireAfterCreate(String token, Jwt jwt, long currentTime) {
				return untilExpiry(jwt);
			}

			@Override
			public long expireAfterUpdate(String token, Jwt jwt, long currentTime, long currentDuration) {
				return untilExpiry(jwt);
			}

			@Override
			public long expireAfterRead(String token, Jwt jwt, long currentTime, long currentDuration) {
				return currentDuration;
			}
		}).build();
	}

	private long untilExpiry(Jwt jwt) {
		Duration left = Duration.between(this.clock.instant(), jwt.getExpiresAt());
		return left.isNegative() ? 0 : left.toNanos();
	}

	@Override
	public Mono<Jwt> decode(String token) {
		Jwt jwt = this.verified.getIfPresent(token);
		// the cache's own expiry is approximate: check exp exactly
		if (jwt != null && this.clock.instant().isBefore(jwt.getExpiresAt())) {
			return Mono.just(jwt);
		}
		return this.decoder.decode(token).doOnNext(this::remember);
	}

	private void remember(Jwt jwt) {
		Instant expiresAt = jwt.getExpiresAt();
		if (expiresAt != null && this.clock.instant().isBefore(expiresAt)) {
			this.verified.put(jwt.getTokenValue(), jwt);
		}
	}

}
