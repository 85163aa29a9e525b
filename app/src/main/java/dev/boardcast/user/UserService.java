package dev.boardcast.user;

import java.security.SecureRandom;
import java.util.Collection;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import dev.boardcast.common.ApiException;
import dev.boardcast.common.Inputs;
import reactor.core.publisher.Mono;

import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.stereotype.Service;

/** Users: find-or-create from token claims, handles, profiles. */
@Service
public class UserService {

	private static final Pattern HANDLE = Pattern.compile("[A-Za-z0-9_]{3,30}");

	private static final SecureRandom random = new SecureRandom();

	private final UserRepository users;

	UserService(UserRepository users) {
		this.users = users;
	}

	/**
	 * The id of the user a token names, created on first sight with the token's preferred
	 * username as handle when it is valid and free, otherwise a generated one.
	 */
	public Mono<UUID> identify(String issuer, String subject, String preferredHandle, String name) {
		String displayName = (name != null && Inputs.isClean(name, 100)) ? name : null;
		String handle = (preferredHandle != null && HANDLE.matcher(preferredHandle).matches()) ? preferredHandle
				: generatedHandle();
		return this.users.findId(issuer, subject)
			.switchIfEmpty(Mono.defer(() -> this.users.insert(issuer, subject, handle, displayName).map(User::id)))
			// lost a race for the identity, or the handle was taken
			.switchIfEmpty(Mono.defer(() -> this.users.findId(issuer, subject)))
			.switchIfEmpty(
					Mono.defer(() -> this.users.insert(issuer, subject, generatedHandle(), displayName).map(User::id)))
			.switchIfEmpty(Mono.defer(() -> this.users.findId(issuer, subject)));
	}

	private static String generatedHandle() {
		return "user_" + Long.toString(random.nextLong() >>> 1, 36);
	}

	/** The development issuer's user with this handle, created if new. */
	public Mono<User> devUser(String issuer, String handle) {
		String valid = validHandle("handle", handle);
		return this.users.findByHandle(issuer, valid)
			.switchIfEmpty(Mono.defer(() -> this.users.insert(issuer, UUID.randomUUID().toString(), valid, null)))
			.switchIfEmpty(Mono.defer(() -> this.users.findByHandle(issuer, valid)))
			.switchIfEmpty(Mono.error(() -> ApiException.badInput("handle", "is taken")));
	}

	public Mono<User> byId(UUID id) {
		return this.users.findById(id);
	}

	public Mono<Map<UUID, User>> byIds(Collection<UUID> ids) {
		return this.users.findByIds(ids).collect(Collectors.toMap(User::id, Function.identity()));
	}

	public Mono<User> byHandle(String handle) {
		return this.users.findByHandle(handle);
	}

	Mono<User> updateMe(UUID id, String handle, String displayName) {
		String newHandle = (handle != null) ? validHandle("input.handle", handle) : null;
		String newName = Inputs.optional("input.displayName", displayName, 100);
		return this.users.update(id, newHandle, newName)
			.onErrorMap(DataIntegrityViolationException.class,
					(ex) -> ApiException.badInput("input.handle", "is taken"));
	}

	static String validHandle(String field, String handle) {
		if (handle == null || !HANDLE.matcher(handle).matches()) {
			throw ApiException.badInput(field, "must be 3 to 30 letters, digits or underscores");
		}
		return handle;
	}

}
