package dev.boardcast.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The issuer's keys are fetched once and cached; an unknown {@code kid} refreshes them at
 * most every 30 s, so made-up key ids cannot make us hammer the issuer, while a rotated
 * key is found; an issuer that is briefly down does not sign everybody out.
 */
class IssuerKeysTest {

	static final Set<JWSAlgorithm> ALLOWED = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.ES256);

	RSAKey first;

	RSAKey rotated;

	final AtomicReference<JWKSet> published = new AtomicReference<>();

	final AtomicInteger fetches = new AtomicInteger();

	final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-11-30T10:00:00Z"));

	volatile boolean issuerDown;

	IssuerKeys keys;

	@BeforeEach
	void setUp() throws Exception {
		this.first = new RSAKeyGenerator(2048).keyID("first").generate();
		this.rotated = new RSAKeyGenerator(2048).keyID("rotated").generate();
		this.published.set(new JWKSet(this.first.toPublicJWK()));
		Clock clock = new Clock() {
			@Override
			public Instant instant() {
				return IssuerKeysTest.this.now.get();
			}

			@Override
			public java.time.ZoneId getZone() {
				return ZoneOffset.UTC;
			}

			@Override
			public Clock withZone(java.time.ZoneId zone) {
				return this;
			}
		};
		Mono<JWKSet> download = Mono.fromCallable(() -> {
			this.fetches.incrementAndGet();
			if (this.issuerDown) {
				throw new IllegalStateException("503 from the issuer");
			}
			return this.published.get();
		});
		this.keys = IssuerKeys.fetching(download, ALLOWED, clock);
	}

	static SignedJWT token(JWSAlgorithm algorithm, String kid, RSAKey signer) throws Exception {
		SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(algorithm).keyID(kid).build(),
				new JWTClaimsSet.Builder().subject("someone").build());
		jwt.sign(new RSASSASigner(signer));
		return jwt;
	}

	List<JWK> keysFor(SignedJWT jwt) {
		return this.keys.keysFor(jwt).collectList().block();
	}

	void later(Duration duration) {
		this.now.set(this.now.get().plus(duration));
	}

	@Test
	void theKeysAreFetchedOnceAndReused() throws Exception {
		assertThat(keysFor(token(JWSAlgorithm.RS256, "first", this.first))).extracting(JWK::getKeyID)
			.containsExactly("first");
		later(Duration.ofMinutes(4));
		keysFor(token(JWSAlgorithm.RS256, "first", this.first));
		assertThat(this.fetches).hasValue(1);
	}

	@Test
	void unknownKeyIdsRefreshAtMostEveryThirtySecondsAndFindARotatedKey() throws Exception {
		keysFor(token(JWSAlgorithm.RS256, "first", this.first));
		later(Duration.ofSeconds(31));
		for (int i = 0; i < 50; i++) {
			assertThat(keysFor(token(JWSAlgorithm.RS256, "made-up-" + i, this.rotated))).isEmpty();
		}
		assertThat(this.fetches).hasValue(2);
		this.published.set(new JWKSet(List.of(this.first.toPublicJWK(), this.rotated.toPublicJWK())));
		assertThat(keysFor(token(JWSAlgorithm.RS256, "rotated", this.rotated))).isEmpty();
		later(Duration.ofSeconds(31));
		assertThat(keysFor(token(JWSAlgorithm.RS256, "rotated", this.rotated))).extracting(JWK::getKeyID)
			.containsExactly("rotated");
		assertThat(this.fetches).hasValue(3);
	}

	@Test
	void oldKeysAreFetchedAgainAndKeptWhileTheIssuerIsDown() throws Exception {
		keysFor(token(JWSAlgorithm.RS256, "first", this.first));
		this.issuerDown = true;
		later(Duration.ofMinutes(6));
		assertThat(keysFor(token(JWSAlgorithm.RS256, "first", this.first))).hasSize(1);
		assertThat(keysFor(token(JWSAlgorithm.RS256, "first", this.first))).hasSize(1);
		assertThat(this.fetches).as("one attempt, then a pause").hasValue(2);
		// the issuer dropped the key (revoked): within 5 minutes it stops working
		this.issuerDown = false;
		this.published.set(new JWKSet(this.rotated.toPublicJWK()));
		later(Duration.ofSeconds(31));
		assertThat(keysFor(token(JWSAlgorithm.RS256, "first", this.first))).isEmpty();
	}

	@Test
	void disallowedAlgorithmsGetNoKeyAndCostNoFetch() throws Exception {
		for (JWSAlgorithm algorithm : List.of(JWSAlgorithm.HS256, JWSAlgorithm.RS384, JWSAlgorithm.PS256)) {
			SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(algorithm).keyID("first").build(),
					new JWTClaimsSet.Builder().build());
			assertThat(keysFor(jwt)).as(algorithm.getName()).isEmpty();
		}
		assertThat(this.fetches).hasValue(0);
	}

}
