package dev.boardcast.board;

import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import dev.boardcast.user.User;
import org.dataloader.DataLoader;

import org.springframework.graphql.data.method.annotation.SchemaMapping;
import org.springframework.stereotype.Controller;

/** The BoardMember type. */
@Controller
class BoardMemberController {

	@SchemaMapping
	CompletableFuture<User> user(BoardMember member, DataLoader<UUID, User> users) {
		return users.load(member.userId());
	}

}
