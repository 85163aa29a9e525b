package dev.boardcast.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.KeyFactory;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.source.JWKSecurityContextJWKSet;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.security.oauth2.server.resource.autoconfigure.OAuth2ResourceServerProperties;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.JwtTypeValidator;
import org.springframework.security.oauth2.jwt.JwtValidationException;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusReactiveJwtDecoder;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import org.springframework.util.StringUtils;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Verifies the tokens of an external OpenID Connect issuer, strictly: the signature with
 * a key of the issuer's JWK set and an allowed asymmetric algorithm (never {@code none},
 * never an HMAC), {@code iss} exactly the configured issuer, {@code aud} one of the
 * configured audiences (when any are), {@code exp} present and not past, {@code nbf} not
 * ahead, both within the clock skew. Anything else is {@code invalid_token}, with a
 * description that names the rule but never echoes the token.
 */
final class ExternalIssuer {

	private static final Log logger = LogFactory.getLog(ExternalIssuer.class);

	static final String ISSUER_URI = "spring.security.oauth2.resourceserver.jwt.issuer-uri";

	static final String JWK_SET_URI = "spring.security.oauth2.resourceserver.jwt.jwk-set-uri";

	static final String ALGORITHMS = "spring.security.oauth2.resourceserver.jwt.jws-algorithms";

	static final String CLOCK_SKEW = "boardcast.security.jwt.clock-skew";

	/**
	 * Access tokens per RFC 9068 say {@code at+jwt}; most issuers say {@code JWT} or
	 * nothing.
	 */
	private static final List<String> TOKEN_TYPES = List.of("JWT", "at+jwt", "application/at+jwt");

	private static final Duration MAX_CLOCK_SKEW = Duration.ofMinutes(5);

	private ExternalIssuer() {
	}

	/**
	 * The decoder for the configured issuer; fails with a message naming the setting to
	 * fix when the configuration would accept more than that issuer's tokens.
	 */
	static ReactiveJwtDecoder decoder(OAuth2ResourceServerProperties.Jwt settings, Duration clockSkew, WebClient web) {
		String issuer = settings.getIssuerUri();
		if (!StringUtils.hasText(issuer)) {
			throw new IllegalStateException("An external JWT issuer needs its issuer: set " + ISSUER_URI
					+ " (SPRING_SECURITY_OAUTH2_RESOURCESERVER_JWT_ISSUER_URI) to exactly the tokens' iss claim. "
					+ "Without it, tokens of any issuer that shares the keys would be accepted. With both "
					+ JWK_SET_URI + " and the issuer set, the keys come from the JWK set URI and no discovery "
					+ "request is made.");
		}
		if (clockSkew.isNegative() || clockSkew.compareTo(MAX_CLOCK_SKEW) > 0) {
			throw new IllegalStateException(CLOCK_SKEW + " (BOARDCAST_JWT_CLOCK_SKEW) must be between 0s and "
					+ MAX_CLOCK_SKEW.toSeconds() + "s, not " + clockSkew);
		}
		Set<JWSAlgorithm> algorithms = algorithms(settings.getJwsAlgorithms());
		List<String> audiences = settings.getAudiences().stream().filter(StringUtils::hasText).toList();
		if (audiences.isEmpty()) {
			logger.warn("No JWT audience configured (SPRING_SECURITY_OAUTH2_RESOURCESERVER_JWT_AUDIENCES): "
					+ "tokens that " + issuer + " issued for any of its applications are accepted");
		}
		IssuerKeys keys = keys(settings, issuer, algorithms, web);
		NimbusReactiveJwtDecoder nimbus = NimbusReactiveJwtDecoder.withJwkSource(keys::keysFor)
			.jwtProcessorCustomizer((processor) -> processor
				.setJWSKeySelector(new JWSVerificationKeySelector<>(algorithms, new JWKSecurityContextJWKSet())))
			.build();
		nimbus.setJwtValidator(validator(issuer, audiences, clockSkew));
		logger.info("Accepting JWTs of " + issuer + " signed with " + algorithms
				+ (audiences.isEmpty() ? "" : " for " + audiences) + ", clock skew " + clockSkew.toSeconds() + "s");
		return (token) -> nimbus.decode(token).onErrorMap(ExternalIssuer::isOpaque, ExternalIssuer::plain);
	}

	private static IssuerKeys keys(OAuth2ResourceServerProperties.Jwt settings, String issuer,
			Set<JWSAlgorithm> algorithms, WebClient web) {
		if (settings.getPublicKeyLocation() != null) {
			return IssuerKeys.fixed(new JWKSet(new RSAKey.Builder(publicKey(settings)).build()), algorithms);
		}
		if (StringUtils.hasText(settings.getJwkSetUri())) {
			return IssuerKeys.fromJwkSetUri(settings.getJwkSetUri(), algorithms, web, Clock.systemUTC());
		}
		return IssuerKeys.fromDiscovery(issuer, algorithms, web, Clock.systemUTC());
	}

	private static RSAPublicKey publicKey(OAuth2ResourceServerProperties.Jwt settings) {
		try {
			String pem = settings.readPublicKey()
				.replace("-----BEGIN PUBLIC KEY-----", "")
				.replace("-----END PUBLIC KEY-----", "");
			return (RSAPublicKey) KeyFactory.getInstance("RSA")
				.generatePublic(new X509EncodedKeySpec(Base64.getMimeDecoder().decode(pem)));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (java.security.GeneralSecurityException | IllegalArgumentException ex) {
			throw new IllegalStateException(
					"The public key at " + settings.getPublicKeyLocation() + " is not an X.509 PEM RSA public key", ex);
		}
	}

	/**
	 * The allowed algorithms: asymmetric signatures only. An HMAC algorithm would let
	 * anyone who knows the issuer's public key sign tokens with it as the secret.
	 */
	static Set<JWSAlgorithm> algorithms(List<String> names) {
		Set<JWSAlgorithm> algorithms = new LinkedHashSet<>();
		for (String name : names) {
			if (!StringUtils.hasText(name)) {
				continue;
			}
			if (SignatureAlgorithm.from(name.strip()) == null) {
				throw new IllegalStateException(ALGORITHMS
						+ " (SPRING_SECURITY_OAUTH2_RESOURCESERVER_JWT_JWS_ALGORITHMS)"
						+ " may only name asymmetric signature algorithms (RS256, RS384, RS512, ES256, ES384, ES512, "
						+ "PS256, PS384, PS512), not " + name.strip());
			}
			algorithms.add(JWSAlgorithm.parse(name.strip()));
		}
		if (algorithms.isEmpty()) {
			throw new IllegalStateException(ALGORITHMS + " names no algorithm");
		}
		return Collections.unmodifiableSet(algorithms);
	}

	static OAuth2TokenValidator<Jwt> validator(String issuer, List<String> audiences, Duration clockSkew) {
		JwtTimestampValidator timestamps = new JwtTimestampValidator(clockSkew);
		// a token without exp would be valid forever
		timestamps.setAllowEmptyExpiryClaim(false);
		JwtTypeValidator types = new JwtTypeValidator(TOKEN_TYPES);
		types.setAllowEmpty(true);
		List<OAuth2TokenValidator<Jwt>> validators = new ArrayList<>(
				List.of(timestamps, types, new JwtIssuerValidator(issuer)));
		if (!audiences.isEmpty()) {
			validators.add(new JwtClaimValidator<List<String>>(JwtClaimNames.AUD,
					(aud) -> aud != null && !Collections.disjoint(aud, audiences)));
		}
		return JwtValidators.createDefaultWithValidators(validators);
	}

	/** Failures whose message may quote the token's parts (parsing, signature, keys). */
	private static boolean isOpaque(Throwable ex) {
		return ex instanceof BadJwtException && !(ex instanceof JwtValidationException);
	}

	private static Throwable plain(Throwable ex) {
		return new BadJwtException("The token is malformed, or not signed by a key of the issuer", ex);
	}

}
