package dev.boardcast.security;

import java.security.Principal;
import java.util.UUID;

import org.springframework.security.core.Authentication;

/** The signed-in user of a request: what controllers take instead of parsing tokens. */
public record Viewer(UUID id) {

	/**
	 * The viewer of an authenticated principal (for batch loaders, which receive the
	 * Principal).
	 */
	public static Viewer of(Principal principal) {
		return (Viewer) ((Authentication) principal).getPrincipal();
	}

}
