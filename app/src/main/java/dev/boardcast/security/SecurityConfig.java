package dev.boardcast.security;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import dev.boardcast.ratelimit.HttpRateLimits;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.security.oauth2.server.resource.autoconfigure.OAuth2ResourceServerProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.security.config.web.server.SecurityWebFiltersOrder;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.context.NoOpServerSecurityContextRepository;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.reactive.CorsConfigurationSource;
import org.springframework.web.cors.reactive.UrlBasedCorsConfigurationSource;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Authentication only: every GraphQL request over HTTP needs a bearer JWT; the WebSocket
 * upgrade is open because graphql-ws authenticates in its {@code connection_init}
 * payload. Board roles are checked by the services.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfig {

	private static final Log logger = LogFactory.getLog(SecurityConfig.class);

	@Bean
	SecurityWebFilterChain securityWebFilterChain(ServerHttpSecurity http, ViewerAuthenticationConverter viewers,
			@Qualifier("corsConfigurationSource") CorsConfigurationSource cors, HttpRateLimits rateLimits) {
		return http.csrf(ServerHttpSecurity.CsrfSpec::disable)
			.httpBasic(ServerHttpSecurity.HttpBasicSpec::disable)
			.formLogin(ServerHttpSecurity.FormLoginSpec::disable)
			.logout(ServerHttpSecurity.LogoutSpec::disable)
			.requestCache((cache) -> cache.disable())
			.securityContextRepository(NoOpServerSecurityContextRepository.getInstance())
			.cors((spec) -> spec.configurationSource(cors))
			.authorizeExchange((exchanges) -> exchanges.pathMatchers(HttpMethod.POST, "/graphql")
				.authenticated()
				.anyExchange()
				.permitAll())
			.oauth2ResourceServer((server) -> server.jwt((jwt) -> jwt.jwtAuthenticationConverter(viewers)))
			.addFilterAfter(rateLimits.webFilter(), SecurityWebFiltersOrder.AUTHENTICATION)
			.build();
	}

	/**
	 * CORS is an explicit allow-list; with none configured, only same-origin requests
	 * work. The graphql-ws upgrade is checked against it too
	 * ({@code config.WebSocketConfig.DirectUpgrade}).
	 */
	@Bean
	static CorsConfigurationSource corsConfigurationSource(
			@Value("${boardcast.cors.allowed-origins:}") String allowedOrigins) {
		UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
		List<String> origins = Arrays.stream(allowedOrigins.split(","))
			.map(String::strip)
			.filter((s) -> !s.isEmpty())
			.toList();
		if (!origins.isEmpty()) {
			CorsConfiguration config = new CorsConfiguration();
			config.setAllowedOrigins(origins);
			config.setAllowedMethods(List.of("POST", "GET", "OPTIONS"));
			config.setAllowedHeaders(List.of("Authorization", "Content-Type", "Accept"));
			config.setMaxAge(Duration.ofHours(1));
			source.registerCorsConfiguration("/**", config);
		}
		return source;
	}

	/**
	 * An external OpenID Connect issuer, strictly checked (see {@link ExternalIssuer});
	 * Boot's own decoder, which skips the issuer check when only a JWK set URI is given,
	 * steps back for this one.
	 */
	@Configuration(proxyBeanMethods = false)
	@Conditional(ExternalIssuerCondition.class)
	static class ExternalIssuerConfig {

		@Bean
		ReactiveJwtDecoder externalJwtDecoder(OAuth2ResourceServerProperties properties,
				@Value("${" + ExternalIssuer.CLOCK_SKEW + ":30s}") Duration clockSkew) {
			return new VerifiedTokens(ExternalIssuer.decoder(properties.getJwt(), clockSkew, WebClient.create()));
		}

	}

	/** The development issuer, when no external issuer is configured. */
	@Configuration(proxyBeanMethods = false)
	@Conditional(DevIssuerCondition.class)
	static class DevIssuerConfig {

		@Bean
		DevIssuer devIssuer(DatabaseClient db, @Value("${boardcast.dev-token.ttl:24h}") Duration ttl) {
			logger.warn("No JWT issuer configured: the development issuer is on (POST /dev/token). "
					+ "Set SPRING_SECURITY_OAUTH2_RESOURCESERVER_JWT_ISSUER_URI in production.");
			return new DevIssuer(db, ttl);
		}

		@Bean
		ReactiveJwtDecoder devJwtDecoder(DevIssuer issuer) {
			return new VerifiedTokens(issuer.decoder());
		}

	}

}
