package dev.boardcast.comment;

import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import dev.boardcast.board.BoardRole;
import dev.boardcast.board.BoardWrites;
import dev.boardcast.board.Change;
import dev.boardcast.board.IdempotencyKey;
import dev.boardcast.common.ApiException;
import dev.boardcast.common.Conflicts;
import dev.boardcast.common.Connection;
import dev.boardcast.common.Ids;
import dev.boardcast.common.Inputs;
import dev.boardcast.common.PageRequest;
import dev.boardcast.common.PagedKey;
import dev.boardcast.common.PagedLoads;
import dev.boardcast.events.EventKind;
import dev.boardcast.task.TaskService;
import reactor.core.publisher.Mono;

import org.springframework.stereotype.Service;

/** Comments on tasks: EDITORs write; authors edit their own; OWNERs may delete any. */
@Service
public class CommentService {

	static final int MAX_BODY = 10_000;

	private final CommentRepository comments;

	private final BoardWrites writes;

	private final TaskService tasks;

	CommentService(CommentRepository comments, BoardWrites writes, TaskService tasks) {
		this.comments = comments;
		this.writes = writes;
		this.tasks = tasks;
	}

	public Mono<Map<UUID, Integer>> countsByTasks(Collection<UUID> taskIds) {
		return this.comments.countByTasks(taskIds).collectMap(Map.Entry::getKey, Map.Entry::getValue);
	}

	public Mono<Map<PagedKey, Connection<Comment>>> byTasks(Set<PagedKey> keys) {
		return PagedLoads.load(keys, this.comments::findByTasks, Comment::taskId,
				(comment) -> new PageRequest.Keyset(comment.createdAt(), comment.id()).cursor("comment"));
	}

	Mono<Comment> add(UUID viewerId, String taskIdInput, String body, String clientMutationId) {
		UUID taskId = Ids.parse("input.taskId", "task", taskIdInput);
		String validBody = Inputs.required("input.body", body, MAX_BODY);
		IdempotencyKey key = IdempotencyKey.of(viewerId, clientMutationId, "addComment", taskIdInput, body);
		UUID id = UUID.randomUUID();
		return this.writes
			.once(key, "comment", (board, created) -> this.comments.find(created), () -> this.tasks.task(taskId)
				.switchIfEmpty(Mono.error(() -> ApiException.notFound("task", "input.taskId")))
				.flatMap((known) -> this.writes.write(known.boardId(), viewerId, BoardRole.EDITOR,
						() -> ApiException.notFound("task", "input.taskId"), key,
						(context) -> this.tasks.task(taskId)
							.switchIfEmpty(Mono.error(() -> ApiException.notFound("task", "input.taskId")))
							.flatMap((task) -> this.comments.insert(id, taskId, task.boardId(), viewerId, validBody))
							.map((comment) -> Change.ofTask(EventKind.COMMENT_ADDED, id, taskId, comment, comment)))));
	}

	Mono<Comment> edit(UUID viewerId, String commentIdInput, Integer expectedVersion, String body) {
		UUID commentId = Ids.parse("input.commentId", "comment", commentIdInput);
		String validBody = Inputs.required("input.body", body, MAX_BODY);
		return onComment(viewerId, commentId, BoardRole.EDITOR, (current, role) -> {
			if (!current.authorId().equals(viewerId)) {
				return Mono.error(ApiException.forbidden("Only the author may edit a comment"));
			}
			Conflicts.check(expectedVersion, current.version(), "comment", current);
			return this.comments.update(commentId, validBody)
				.map((comment) -> Change.ofTask(EventKind.COMMENT_EDITED, commentId, comment.taskId(), comment,
						comment));
		});
	}

	record Deleted(UUID commentId, UUID taskId) {
	}

	Mono<Deleted> delete(UUID viewerId, String commentIdInput) {
		UUID commentId = Ids.parse("input.commentId", "comment", commentIdInput);
		return onComment(viewerId, commentId, BoardRole.EDITOR, (current, role) -> {
			if (!current.authorId().equals(viewerId) && role != BoardRole.OWNER) {
				return Mono.error(ApiException.forbidden("Only the author or an OWNER may delete a comment"));
			}
			return this.comments.delete(commentId)
				.thenReturn(Change.ofTask(EventKind.COMMENT_DELETED, commentId, current.taskId(), null,
						new Deleted(commentId, current.taskId())));
		});
	}

	private <T> Mono<T> onComment(UUID viewerId, UUID commentId, BoardRole minimum,
			java.util.function.BiFunction<Comment, BoardRole, Mono<Change<T>>> work) {
		return this.comments.find(commentId)
			.switchIfEmpty(Mono.error(() -> ApiException.notFound("comment", "input.commentId")))
			.flatMap((known) -> this.writes.write(known.boardId(), viewerId, minimum,
					() -> ApiException.notFound("comment", "input.commentId"),
					(context) -> this.comments.find(commentId)
						.switchIfEmpty(Mono.error(() -> ApiException.notFound("comment", "input.commentId")))
						.flatMap((comment) -> work.apply(comment, context.actorRole()))));
	}

}
