package dev.boardcast.security;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.env.Environment;
import org.springframework.util.StringUtils;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /auth/config}: how the web client signs in. {@code {"mode":"dev"}} while the
 * development issuer is on; otherwise the OpenID Connect issuer, the client id and the
 * audience for an authorization-code + PKCE login.
 */
@RestController
class AuthConfigController {

	private final Map<String, Object> config;

	AuthConfigController(Environment environment, @Value("${boardcast.oidc.client-id:}") String clientId) {
		String issuer = environment.getProperty("spring.security.oauth2.resourceserver.jwt.issuer-uri");
		boolean external = StringUtils.hasText(issuer) || StringUtils
			.hasText(environment.getProperty("spring.security.oauth2.resourceserver.jwt.jwk-set-uri"));
		Map<String, Object> config = new LinkedHashMap<>();
		config.put("mode", external ? "oidc" : "dev");
		if (external) {
			config.put("issuer", (issuer != null) ? issuer : "");
			config.put("clientId", clientId);
			config.put("audience", environment.getProperty("spring.security.oauth2.resourceserver.jwt.audiences", ""));
		}
		this.config = Map.copyOf(config);
	}

	@GetMapping("/auth/config")
	Map<String, Object> config() {
		return this.config;
	}

}
