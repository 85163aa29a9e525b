package dev.boardcast.label;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import dev.boardcast.board.BoardRole;
import dev.boardcast.board.BoardWrites;
import dev.boardcast.board.Change;
import dev.boardcast.board.IdempotencyKey;
import dev.boardcast.common.ApiException;
import dev.boardcast.common.Conflicts;
import dev.boardcast.common.Ids;
import dev.boardcast.common.Inputs;
import dev.boardcast.events.EventKind;
import dev.boardcast.task.TaskService;
import reactor.core.publisher.Mono;

import org.springframework.context.annotation.Lazy;
import org.springframework.stereotype.Service;

/** Labels of a board. */
@Service
public class LabelService {

	/** Labels a board may have; also the size the query cost assumes for Board.labels. */
	public static final int MAX_LABELS = 100;

	private static final Pattern COLOR = Pattern.compile("#[0-9a-fA-F]{6}");

	private final LabelRepository labels;

	private final BoardWrites writes;

	private final TaskService tasks;

	/**
	 * Tasks check their labels and deleting a label strips it from tasks, hence the lazy
	 * reference.
	 */
	LabelService(LabelRepository labels, BoardWrites writes, @Lazy TaskService tasks) {
		this.labels = labels;
		this.writes = writes;
		this.tasks = tasks;
	}

	public Mono<Map<UUID, List<Label>>> byBoards(Collection<UUID> boardIds) {
		return this.labels.findByBoards(boardIds).collect(Collectors.groupingBy(Label::boardId));
	}

	public Mono<Map<UUID, Label>> byIds(Collection<UUID> ids) {
		return this.labels.findByIds(ids).collect(Collectors.toMap(Label::id, Function.identity()));
	}

	/**
	 * Fails with NOT_FOUND (naming {@code field}) unless every label belongs to the
	 * board.
	 */
	public Mono<List<UUID>> requireOnBoard(UUID boardId, List<UUID> labelIds, String field) {
		if (labelIds.isEmpty()) {
			return Mono.just(labelIds);
		}
		return this.labels.findByIds(labelIds)
			.filter((label) -> label.boardId().equals(boardId))
			.count()
			.flatMap((found) -> (found == labelIds.size()) ? Mono.just(labelIds)
					: Mono.error(ApiException.notFound("label", field)));
	}

	Mono<Label> create(UUID viewerId, String boardIdInput, String name, String color, String clientMutationId) {
		UUID boardId = Ids.parse("input.boardId", "board", boardIdInput);
		String validName = Inputs.required("input.name", name, 50);
		String validColor = color(color);
		IdempotencyKey key = IdempotencyKey.of(viewerId, clientMutationId, "createLabel", boardIdInput, name, color);
		UUID id = UUID.randomUUID();
		return this.writes
			.once(key, "label", (board, created) -> this.labels.find(created),
					() -> this.writes.write(boardId, viewerId, BoardRole.EDITOR,
							() -> ApiException.notFound("board", "input.boardId"), key,
							(context) -> this.labels.count(boardId)
								.flatMap((count) -> (count >= MAX_LABELS)
										? Mono.error(ApiException.badInput("input.boardId",
												"a board has at most " + MAX_LABELS + " labels"))
										: this.labels.insert(id, boardId, validName, validColor))
								.switchIfEmpty(
										Mono.error(() -> ApiException.badInput("input.name", "is taken on this board")))
								.map((label) -> Change.of(EventKind.LABEL_CREATED, id, label, label))));
	}

	Mono<Label> update(UUID viewerId, String labelIdInput, Integer expectedVersion, String name, String color) {
		UUID labelId = Ids.parse("input.labelId", "label", labelIdInput);
		String newName = (name != null) ? Inputs.required("input.name", name, 50) : null;
		String newColor = (color != null) ? color(color) : null;
		return onLabel(viewerId, labelId, (current) -> {
			Conflicts.check(expectedVersion, current.version(), "label", current);
			String finalName = (newName != null) ? newName : current.name();
			return this.labels.nameTaken(current.boardId(), finalName, labelId)
				.flatMap((taken) -> taken ? Mono.error(ApiException.badInput("input.name", "is taken on this board"))
						: this.labels.update(labelId, finalName, (newColor != null) ? newColor : current.color()))
				.map((label) -> Change.of(EventKind.LABEL_UPDATED, labelId, label, label));
		});
	}

	Mono<UUID> delete(UUID viewerId, String labelIdInput) {
		UUID labelId = Ids.parse("input.labelId", "label", labelIdInput);
		return onLabel(viewerId, labelId,
				(current) -> this.tasks.stripLabel(current.boardId(), labelId)
					.then(this.labels.delete(labelId))
					.thenReturn(Change.of(EventKind.LABEL_DELETED, labelId, null, labelId)));
	}

	private <T> Mono<T> onLabel(UUID viewerId, UUID labelId, Function<Label, Mono<Change<T>>> work) {
		return this.labels.find(labelId)
			.switchIfEmpty(Mono.error(() -> ApiException.notFound("label", "input.labelId")))
			.flatMap((label) -> this.writes.write(label.boardId(), viewerId, BoardRole.EDITOR,
					() -> ApiException.notFound("label", "input.labelId"),
					(context) -> this.labels.find(labelId)
						.switchIfEmpty(Mono.error(() -> ApiException.notFound("label", "input.labelId")))
						.flatMap(work)));
	}

	private static String color(String color) {
		if (color == null || !COLOR.matcher(color).matches()) {
			throw ApiException.badInput("input.color", "must be a color as #rrggbb");
		}
		return color.toLowerCase();
	}

}
