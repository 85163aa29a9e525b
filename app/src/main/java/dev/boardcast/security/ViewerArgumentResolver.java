package dev.boardcast.security;

import graphql.schema.DataFetchingEnvironment;
import reactor.core.publisher.Mono;

import org.springframework.core.MethodParameter;
import org.springframework.graphql.data.method.HandlerMethodArgumentResolver;
import org.springframework.security.authentication.AuthenticationCredentialsNotFoundException;
import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.stereotype.Component;

/**
 * The current user for a controller parameter of type {@link Viewer} without
 * {@code @AuthenticationPrincipal} (those still go to Spring for GraphQL's resolver). For
 * subscriptions: Spring for GraphQL's resolver builds its "no authentication" exception,
 * stack trace and all, on every call, and a subscription keeps its arguments' Monos for
 * as long as it lives (about 2.5 KB each); this one builds the error only when there is
 * no user, which the security filter chain and {@code WebSocketGuard} already prevent.
 */
@Component
class ViewerArgumentResolver implements HandlerMethodArgumentResolver {

	@Override
	public boolean supportsParameter(MethodParameter parameter) {
		return parameter.getParameterType() == Viewer.class;
	}

	@Override
	public Object resolveArgument(MethodParameter parameter, DataFetchingEnvironment environment) {
		return ReactiveSecurityContextHolder.getContext()
			.mapNotNull(SecurityContext::getAuthentication)
			.mapNotNull((authentication) -> (authentication.getPrincipal() instanceof Viewer viewer) ? viewer : null)
			.switchIfEmpty(Mono.error(() -> new AuthenticationCredentialsNotFoundException("No authenticated user")));
	}

}
