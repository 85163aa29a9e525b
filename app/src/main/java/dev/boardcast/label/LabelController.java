package dev.boardcast.label;

import java.util.UUID;

import dev.boardcast.common.Conflicts;
import dev.boardcast.security.Viewer;
import graphql.execution.DataFetcherResult;
import graphql.schema.DataFetchingEnvironment;
import reactor.core.publisher.Mono;

import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.MutationMapping;
import org.springframework.stereotype.Controller;

/** The label mutations (Label has only plain fields). */
@Controller
class LabelController {

	private final LabelService labels;

	LabelController(LabelService labels) {
		this.labels = labels;
	}

	record CreateLabelInput(String boardId, String name, String color, String clientMutationId) {
	}

	record CreateLabelPayload(Label label, String clientMutationId) {
	}

	record LabelPayload(Label label) {
	}

	@MutationMapping
	Mono<CreateLabelPayload> createLabel(@Argument CreateLabelInput input, Viewer viewer) {
		return Mono
			.defer(() -> this.labels.create(viewer.id(), input.boardId(), input.name(), input.color(),
					input.clientMutationId()))
			.map((label) -> new CreateLabelPayload(label, input.clientMutationId()));
	}

	record UpdateLabelInput(String labelId, Integer expectedVersion, String name, String color) {
	}

	@MutationMapping
	Mono<DataFetcherResult<LabelPayload>> updateLabel(@Argument UpdateLabelInput input, Viewer viewer,
			DataFetchingEnvironment env) {
		return Conflicts.withCurrent(Mono.defer(() -> this.labels.update(viewer.id(), input.labelId(),
				input.expectedVersion(), input.name(), input.color()))
			.map(LabelPayload::new), LabelPayload::new, env);
	}

	record DeleteLabelInput(String labelId) {
	}

	record DeleteLabelPayload(UUID deletedLabelId) {
	}

	@MutationMapping
	Mono<DeleteLabelPayload> deleteLabel(@Argument DeleteLabelInput input, Viewer viewer) {
		return Mono.defer(() -> this.labels.delete(viewer.id(), input.labelId())).map(DeleteLabelPayload::new);
	}

}
