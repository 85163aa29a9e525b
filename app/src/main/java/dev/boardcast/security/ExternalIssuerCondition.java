package dev.boardcast.security;

import org.springframework.boot.autoconfigure.condition.AnyNestedCondition;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;

/**
 * An external issuer is configured: an issuer URI, a JWK set URI or a public key (the
 * exact opposite of {@link DevIssuerCondition}).
 */
class ExternalIssuerCondition extends AnyNestedCondition {

	ExternalIssuerCondition() {
		super(ConfigurationPhase.REGISTER_BEAN);
	}

	@ConditionalOnProperty("spring.security.oauth2.resourceserver.jwt.issuer-uri")
	static class IssuerUri {

	}

	@ConditionalOnProperty("spring.security.oauth2.resourceserver.jwt.jwk-set-uri")
	static class JwkSetUri {

	}

	@ConditionalOnProperty("spring.security.oauth2.resourceserver.jwt.public-key-location")
	static class PublicKey {

	}

}
