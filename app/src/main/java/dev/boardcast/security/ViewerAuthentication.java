package dev.boardcast.security;

import java.util.List;

import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.oauth2.jwt.Jwt;

/** A verified token resolved to a Boardcast user. */
class ViewerAuthentication extends AbstractAuthenticationToken {

	private final Viewer viewer;

	/** Null once dropped (see {@link #withoutToken()}). */
	private final Jwt token;

	ViewerAuthentication(Viewer viewer, Jwt token) {
		super(List.of());
		this.viewer = viewer;
		this.token = token;
		setAuthenticated(true);
	}

	/**
	 * The same viewer without the token it came with, for what lasts: a graphql-ws
	 * connection authenticates once and keeps its viewer for hours, and nothing asks for
	 * the token again (its string, headers and claims are about a kilobyte).
	 */
	ViewerAuthentication withoutToken() {
		return (this.token != null) ? new ViewerAuthentication(this.viewer, null) : this;
	}

	@Override
	public Object getCredentials() {
		return this.token;
	}

	@Override
	public Viewer getPrincipal() {
		return this.viewer;
	}

	@Override
	public String getName() {
		return this.viewer.id().toString();
	}

}
