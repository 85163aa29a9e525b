package dev.boardcast.security;

import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.SignedJWT;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.core.ParameterizedTypeReference;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * The signing keys of the external issuer: its JWK set, fetched from the JWK set URI (or
 * the one its OpenID discovery document names) and cached. A token whose {@code kid} is
 * not in the set makes it fetch the set again (the issuer may have rotated its keys), but
 * at most once per {@link #MIN_REFRESH}: otherwise every forged token with a made-up
 * {@code kid} would cost a request to the issuer, and a flood of them would get us
 * rate-limited there. Keys are only looked up for the allowed algorithms, so a token with
 * {@code alg: HS256} (or {@code none}) never reaches a key at all.
 */
final class IssuerKeys {

	private static final Log logger = LogFactory.getLog(IssuerKeys.class);

	/** Keys older than this are fetched again, so revoked keys stop working. */
	static final Duration MAX_AGE = Duration.ofMinutes(5);

	/** The shortest time between two fetches of the set (except the very first). */
	static final Duration MIN_REFRESH = Duration.ofSeconds(30);

	private static final Duration TIMEOUT = Duration.ofSeconds(5);

	private final Set<JWSAlgorithm> algorithms;

	/** Null for a fixed set of keys. */
	private final Mono<JWKSet> download;

	private final Clock clock;

	private final AtomicReference<Mono<JWKSet>> inFlight = new AtomicReference<>();

	private volatile JWKSet keys;

	private volatile Instant fetchedAt = Instant.MIN;

	private volatile Instant lastAttempt = Instant.MIN;

	private IssuerKeys(Set<JWSAlgorithm> algorithms, Mono<JWKSet> download, JWKSet fixed, Clock clock) {
		this.algorithms = algorithms;
		this.download = download;
		this.keys = fixed;
		this.clock = clock;
	}

	/** Keys from a JWK set URI. */
	static IssuerKeys fromJwkSetUri(String jwkSetUri, Set<JWSAlgorithm> algorithms, WebClient web, Clock clock) {
		return fetching(fetch(web, Mono.just(jwkSetUri)), algorithms, clock);
	}

	/** Keys that {@code download} fetches. */
	static IssuerKeys fetching(Mono<JWKSet> download, Set<JWSAlgorithm> algorithms, Clock clock) {
		return new IssuerKeys(algorithms, download, null, clock);
	}

	/**
	 * Keys from the JWK set named by the issuer's OpenID discovery document
	 * ({@code <issuer>/.well-known/openid-configuration}), whose {@code issuer} must be
	 * exactly the configured one.
	 */
	static IssuerKeys fromDiscovery(String issuer, Set<JWSAlgorithm> algorithms, WebClient web, Clock clock) {
		String discovery = issuer.replaceAll("/+$", "") + "/.well-known/openid-configuration";
		Mono<String> jwkSetUri = web.get()
			.uri(discovery)
			.retrieve()
			.bodyToMono(new ParameterizedTypeReference<Map<String, Object>>() {
			})
			.timeout(TIMEOUT)
			.flatMap((document) -> {
				if (!issuer.equals(document.get("issuer"))) {
					return Mono.error(new IllegalStateException("The discovery document at " + discovery
							+ " names the issuer " + document.get("issuer") + ", not " + issuer));
				}
				if (!(document.get("jwks_uri") instanceof String uri)) {
					return Mono.error(
							new IllegalStateException("The discovery document at " + discovery + " has no jwks_uri"));
				}
				return Mono.just(uri);
			})
			// the JWK set URI is found once; until then, every fetch asks again
			.cache((uri) -> Duration.ofMillis(Long.MAX_VALUE), (ex) -> Duration.ZERO, () -> Duration.ZERO);
		return fetching(fetch(web, jwkSetUri), algorithms, clock);
	}

	/** A fixed set of keys (a configured public key): never fetched. */
	static IssuerKeys fixed(JWKSet keys, Set<JWSAlgorithm> algorithms) {
		return new IssuerKeys(algorithms, null, keys, Clock.systemUTC());
	}

	private static Mono<JWKSet> fetch(WebClient web, Mono<String> uri) {
		return uri.flatMap((location) -> web.get().uri(location).retrieve().bodyToMono(String.class))
			.timeout(TIMEOUT)
			.map(IssuerKeys::parse);
	}

	private static JWKSet parse(String body) {
		try {
			return JWKSet.parse(body);
		}
		catch (ParseException ex) {
			throw new IllegalStateException("The issuer's JWK set is not valid: " + ex.getMessage());
		}
	}

	/**
	 * The candidate keys for verifying {@code jwt}'s signature; none for a disallowed
	 * algorithm.
	 */
	Flux<JWK> keysFor(SignedJWT jwt) {
		JWSHeader header = jwt.getHeader();
		if (!this.algorithms.contains(header.getAlgorithm())) {
			return Flux.empty();
		}
		JWKMatcher matcher = JWKMatcher.forJWSHeader(header);
		if (matcher == null) {
			return Flux.empty();
		}
		JWKSelector selector = new JWKSelector(matcher);
		return current().flatMapMany((set) -> {
			List<JWK> found = selector.select(set);
			String kid = header.getKeyID();
			if (!found.isEmpty() || kid == null || set.getKeyByKeyId(kid) != null || !mayRefresh()
					|| this.download == null) {
				return Flux.fromIterable(found);
			}
			// an unknown kid: the issuer may have rotated its keys
			return refresh().flatMapIterable(selector::select);
		});
	}

	private Mono<JWKSet> current() {
		JWKSet known = this.keys;
		if (this.download == null) {
			return Mono.just(known);
		}
		if (known == null) {
			return refresh();
		}
		boolean stale = this.clock.instant().isAfter(this.fetchedAt.plus(MAX_AGE));
		return (stale && mayRefresh()) ? refresh() : Mono.just(known);
	}

	private boolean mayRefresh() {
		return this.clock.instant().isAfter(this.lastAttempt.plus(MIN_REFRESH));
	}

	/**
	 * Fetches the set, one fetch at a time; if that fails, the keys known so far stay in
	 * use (an issuer that is briefly unreachable does not sign everybody out).
	 */
	private Mono<JWKSet> refresh() {
		Mono<JWKSet> running = this.inFlight.get();
		if (running != null) {
			return running;
		}
		Mono<JWKSet> fetch = Mono.defer(() -> {
			this.lastAttempt = this.clock.instant();
			return this.download;
		}).doOnNext((set) -> {
			this.keys = set;
			this.fetchedAt = this.clock.instant();
		}).onErrorResume((ex) -> {
			JWKSet known = this.keys;
			if (known == null) {
				return Mono.error(ex);
			}
			logger
				.warn("Could not fetch the issuer's JWK set, using the keys fetched at " + this.fetchedAt + ": " + ex);
			return Mono.just(known);
		}).doFinally((signal) -> this.inFlight.set(null)).cache();
		return this.inFlight.compareAndSet(null, fetch) ? fetch : refresh();
	}

}
