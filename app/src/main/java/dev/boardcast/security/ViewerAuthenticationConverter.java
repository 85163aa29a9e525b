package dev.boardcast.security;

import java.time.Duration;
import java.util.UUID;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.boardcast.user.UserService;
import reactor.core.publisher.Mono;

import org.springframework.core.convert.converter.Converter;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.stereotype.Component;

/**
 * Turns a verified JWT into the Boardcast user it names (issuer + subject), creating the
 * user on first sight. The issuer/subject to id mapping never changes, so it is cached.
 */
@Component
class ViewerAuthenticationConverter implements Converter<Jwt, Mono<AbstractAuthenticationToken>> {

	private final UserService users;

	private final AsyncCache<String, UUID> ids = Caffeine.newBuilder()
		.maximumSize(100_000)
		.expireAfterAccess(Duration.ofHours(1))
		.buildAsync();

	ViewerAuthenticationConverter(UserService users) {
		this.users = users;
	}

	@Override
	public Mono<AbstractAuthenticationToken> convert(Jwt jwt) {
		String issuer = jwt.getClaimAsString("iss");
		String subject = jwt.getSubject();
		if (issuer == null || subject == null) {
			return Mono.error(new org.springframework.security.oauth2.server.resource.InvalidBearerTokenException(
					"token has no issuer or subject"));
		}
		String key = issuer + "\n" + subject;
		return Mono
			.fromFuture(() -> this.ids.get(key,
					(k, executor) -> this.users.identify(issuer, subject, jwt.getClaimAsString("preferred_username"),
							jwt.getClaimAsString("name"))
						.toFuture()))
			.map((id) -> new ViewerAuthentication(new Viewer(id), jwt));
	}

}
