package dev.boardcast.security;

import java.util.Map;

import dev.boardcast.common.ApiException;
import dev.boardcast.user.UserService;
import reactor.core.publisher.Mono;

import org.springframework.context.annotation.Conditional;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /dev/token {"handle":"alice"}}: a token for that user, created if new
 * (development issuer only).
 */
@RestController
@Conditional(DevIssuerCondition.class)
class DevTokenController {

	private final DevIssuer issuer;

	private final UserService users;

	DevTokenController(DevIssuer issuer, UserService users) {
		this.issuer = issuer;
		this.users = users;
	}

	record TokenRequest(String handle) {
	}

	@PostMapping(path = "/dev/token", consumes = MediaType.APPLICATION_JSON_VALUE)
	Mono<Map<String, String>> token(@RequestBody TokenRequest request) {
		return this.users.devUser(DevIssuer.ISSUER, request.handle())
			.flatMap((user) -> this.issuer.mint(user.subject(), user.handle()))
			.map((token) -> Map.of("token", token));
	}

	@ExceptionHandler(ApiException.class)
	ResponseEntity<Map<String, String>> badRequest(ApiException ex) {
		return ResponseEntity.status(HttpStatus.BAD_REQUEST)
			.body(Map.of("error", ex.getMessage(), "code", ex.code().name()));
	}

}
