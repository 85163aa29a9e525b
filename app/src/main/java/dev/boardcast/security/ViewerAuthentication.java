package dev.boardcast.security;

import java.util.List;

import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.oauth2.jwt.Jwt;

/** A verified token resolved to a Boardcast user. */
class ViewerAuthentication extends AbstractAuthenticationToken {

	private final Viewer viewer;

	private final Jwt token;

	ViewerAuthentication(Viewer viewer, Jwt token) {
		super(List.of());
		this.viewer = viewer;
		this.token = token;
		setAuthenticated(true);
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
