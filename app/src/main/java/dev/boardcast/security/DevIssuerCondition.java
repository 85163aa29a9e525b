package dev.boardcast.security;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.NoneNestedConditions;

/**
 * The development issuer runs only when no external issuer (issuer URI, JWK set, key) is
 * configured.
 */
class DevIssuerCondition extends NoneNestedConditions {

	DevIssuerCondition() {
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
