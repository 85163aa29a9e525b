package dev.boardcast.user;

import java.util.UUID;

import dev.boardcast.security.Viewer;
import reactor.core.publisher.Mono;

import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.MutationMapping;
import org.springframework.graphql.data.method.annotation.QueryMapping;
import org.springframework.graphql.execution.BatchLoaderRegistry;
import org.springframework.stereotype.Controller;

/**
 * The User type, {@code me} and {@code updateMe}; registers the batch loader every User
 * field uses.
 */
@Controller
class UserController {

	private final UserService users;

	UserController(UserService users, BatchLoaderRegistry registry) {
		this.users = users;
		registry.forTypePair(UUID.class, User.class).registerMappedBatchLoader((ids, env) -> users.byIds(ids));
	}

	@QueryMapping
	Mono<User> me(Viewer viewer) {
		return this.users.byId(viewer.id());
	}

	record UpdateMeInput(String handle, String displayName) {
	}

	record UpdateMePayload(User user) {
	}

	@MutationMapping
	Mono<UpdateMePayload> updateMe(@Argument UpdateMeInput input, Viewer viewer) {
		return Mono.defer(() -> this.users.updateMe(viewer.id(), input.handle(), input.displayName()))
			.map(UpdateMePayload::new);
	}

}
