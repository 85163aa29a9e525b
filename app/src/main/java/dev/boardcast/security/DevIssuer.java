package dev.boardcast.security;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;

import javax.crypto.spec.SecretKeySpec;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import reactor.core.publisher.Mono;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.MappedJwtClaimSetConverter;
import org.springframework.security.oauth2.jwt.NimbusReactiveJwtDecoder;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;

/**
 * The development token issuer: HS256 tokens signed with a key kept in the database, so
 * every replica on the same database accepts every other replica's tokens without a
 * committed secret.
 */
class DevIssuer {

	static final String ISSUER = "boardcast-dev";

	static final String AUDIENCE = "boardcast";

	private final Mono<byte[]> key;

	private final Mono<ReactiveJwtDecoder> decoder;

	private final Duration ttl;

	DevIssuer(DatabaseClient db, Duration ttl) {
		this.ttl = ttl;
		byte[] candidate = new byte[32];
		new SecureRandom().nextBytes(candidate);
		// The first replica to start stores its key; everyone reads the stored one.
		this.key = db.sql("INSERT INTO dev_signing_key (id, secret) VALUES (1, :secret) ON CONFLICT (id) DO NOTHING")
			.bind("secret", candidate)
			.then()
			.then(db.sql("SELECT secret FROM dev_signing_key WHERE id = 1")
				.map((row, meta) -> toBytes(row.get("secret")))
				.one())
			.cache((value) -> Duration.ofDays(36500), (error) -> Duration.ZERO, () -> Duration.ZERO);
		this.decoder = this.key.map(DevIssuer::decoderFor)
			.cache((value) -> Duration.ofDays(36500), (error) -> Duration.ZERO, () -> Duration.ZERO);
	}

	private static byte[] toBytes(Object value) {
		if (value instanceof java.nio.ByteBuffer buffer) {
			byte[] bytes = new byte[buffer.remaining()];
			buffer.get(bytes);
			return bytes;
		}
		return (byte[]) value;
	}

	private static ReactiveJwtDecoder decoderFor(byte[] secret) {
		NimbusReactiveJwtDecoder decoder = NimbusReactiveJwtDecoder
			.withSecretKey(new SecretKeySpec(secret, "HmacSHA256"))
			.macAlgorithm(MacAlgorithm.HS256)
			.build();
		OAuth2TokenValidator<Jwt> audience = new JwtClaimValidator<List<String>>("aud",
				(aud) -> aud != null && aud.contains(AUDIENCE));
		// the issuer is a plain string, not a URL: Spring's default conversion would
		// first try
		// (and fail, with an exception per token) to make it one
		decoder.setClaimSetConverter(MappedJwtClaimSetConverter
			.withDefaults(Map.of(JwtClaimNames.ISS, (iss) -> (iss != null) ? iss.toString() : null)));
		decoder.setJwtValidator(
				new DelegatingOAuth2TokenValidator<>(JwtValidators.createDefaultWithIssuer(ISSUER), audience));
		return decoder;
	}

	ReactiveJwtDecoder decoder() {
		return (token) -> this.decoder.flatMap((decoder) -> decoder.decode(token));
	}

	Mono<String> mint(String subject, String handle) {
		return this.key.map((secret) -> sign(secret, subject, handle));
	}

	private String sign(byte[] secret, String subject, String handle) {
		Instant now = Instant.now();
		JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(ISSUER)
			.subject(subject)
			.audience(AUDIENCE)
			.issueTime(Date.from(now))
			.notBeforeTime(Date.from(now.minusSeconds(5)))
			.expirationTime(Date.from(now.plus(this.ttl)))
			.claim("preferred_username", handle)
			.build();
		try {
			SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
			jwt.sign(new MACSigner(secret));
			return jwt.serialize();
		}
		catch (JOSEException ex) {
			throw new IllegalStateException("Could not sign a development token", ex);
		}
	}

}
