package dev.boardcast.comment;

import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import dev.boardcast.common.Conflicts;
import dev.boardcast.security.Viewer;
import dev.boardcast.task.Task;
import dev.boardcast.common.Connection;
import dev.boardcast.common.PagedKey;
import dev.boardcast.user.User;
import graphql.execution.DataFetcherResult;
import graphql.schema.DataFetchingEnvironment;
import org.dataloader.DataLoader;
import reactor.core.publisher.Mono;

import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.MutationMapping;
import org.springframework.graphql.data.method.annotation.SchemaMapping;
import org.springframework.graphql.execution.BatchLoaderRegistry;
import org.springframework.stereotype.Controller;

/** The Comment type and the comment mutations. */
@Controller
class CommentController {

	private final CommentService comments;

	CommentController(CommentService comments, BatchLoaderRegistry registry) {
		this.comments = comments;
		registry.<PagedKey, Connection<Comment>>forName("taskComments")
			.registerMappedBatchLoader((keys, env) -> comments.byTasks(keys));
	}

	@SchemaMapping
	CompletableFuture<Task> task(Comment comment, DataLoader<UUID, Task> tasks) {
		return tasks.load(comment.taskId());
	}

	@SchemaMapping
	CompletableFuture<User> author(Comment comment, DataLoader<UUID, User> users) {
		return users.load(comment.authorId());
	}

	record AddCommentInput(String taskId, String body, String clientMutationId) {
	}

	record AddCommentPayload(Comment comment, String clientMutationId) {
	}

	record CommentPayload(Comment comment) {
	}

	@MutationMapping
	Mono<AddCommentPayload> addComment(@Argument AddCommentInput input, Viewer viewer) {
		return Mono.defer(() -> this.comments.add(viewer.id(), input.taskId(), input.body(), input.clientMutationId()))
			.map((comment) -> new AddCommentPayload(comment, input.clientMutationId()));
	}

	record EditCommentInput(String commentId, Integer expectedVersion, String body) {
	}

	@MutationMapping
	Mono<DataFetcherResult<CommentPayload>> editComment(@Argument EditCommentInput input, Viewer viewer,
			DataFetchingEnvironment env) {
		return Conflicts.withCurrent(Mono
			.defer(() -> this.comments.edit(viewer.id(), input.commentId(), input.expectedVersion(), input.body()))
			.map(CommentPayload::new), CommentPayload::new, env);
	}

	record DeleteCommentInput(String commentId) {
	}

	record DeleteCommentPayload(UUID deletedCommentId, UUID taskId) {
	}

	@MutationMapping
	Mono<DeleteCommentPayload> deleteComment(@Argument DeleteCommentInput input, Viewer viewer) {
		return Mono.defer(() -> this.comments.delete(viewer.id(), input.commentId()))
			.map((deleted) -> new DeleteCommentPayload(deleted.commentId(), deleted.taskId()));
	}

}
