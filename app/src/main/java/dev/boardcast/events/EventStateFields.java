package dev.boardcast.events;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

import dev.boardcast.board.BoardMember;
import dev.boardcast.column.Column;
import dev.boardcast.comment.Comment;
import dev.boardcast.label.Label;
import dev.boardcast.task.Task;
import graphql.TrivialDataFetcher;
import graphql.schema.DataFetchingEnvironment;
import graphql.schema.idl.RuntimeWiring;

import org.springframework.core.ResolvableType;
import org.springframework.graphql.execution.RuntimeWiringConfigurer;
import org.springframework.graphql.execution.SelfDescribingDataFetcher;
import org.springframework.stereotype.Component;

/**
 * The state fields of an event: {@code member}, {@code column}, {@code label},
 * {@code task} and {@code comment} of a {@code BoardEvent}, {@code task} and
 * {@code comment} of a {@code TaskEvent}. Each is what changed, as committed, read from
 * the event itself, and null when the event is of another kind or the entity was deleted.
 * <p>
 * A subscription runs its selection once per subscriber for every event, so these are
 * plain functions of the event, trivial in graphql-java's sense: Spring for GraphQL calls
 * them directly instead of through a controller method, its argument resolution and the
 * context snapshot it puts around every non-trivial data fetcher (with the call itself,
 * 18% of the delivery path's samples in a fan-out profile, for the one {@code task}
 * field; about 7% less CPU per delivery measured side by side). They need nothing of the
 * calling thread: the state is decoded once per replica (see {@link EventLog#state}).
 */
@Component
class EventStateFields implements RuntimeWiringConfigurer {

	private final EventLog log;

	EventStateFields(EventLog log) {
		this.log = log;
	}

	@Override
	public void configure(RuntimeWiring.Builder wiring) {
		StateField member = new StateField("MEMBER_", BoardMember.class);
		StateField column = new StateField("COLUMN_", Column.class);
		StateField label = new StateField("LABEL_", Label.class);
		StateField task = new StateField("TASK_", Task.class);
		StateField comment = new StateField("COMMENT_", Comment.class);
		wiring.type("BoardEvent", (type) -> type.dataFetchers(
				Map.of("member", member, "column", column, "label", label, "task", task, "comment", comment)));
		wiring.type("TaskEvent", (type) -> type.dataFetchers(Map.of("task", task, "comment", comment)));
	}

	/** The event's state as {@code type} when its kind's name starts with the prefix. */
	private final class StateField implements TrivialDataFetcher<Object>, SelfDescribingDataFetcher<Object> {

		private final Set<EventKind> kinds = EnumSet.noneOf(EventKind.class);

		private final Class<?> type;

		StateField(String prefix, Class<?> type) {
			for (EventKind kind : EventKind.values()) {
				if (kind.name().startsWith(prefix)) {
					this.kinds.add(kind);
				}
			}
			this.type = type;
		}

		@Override
		public Object get(DataFetchingEnvironment env) {
			BoardEvent event = env.getSource();
			return (event != null && this.kinds.contains(event.kind()))
					? EventStateFields.this.log.state(event, this.type) : null;
		}

		@Override
		public String getDescription() {
			return "EventStateFields[" + this.type.getSimpleName() + "]";
		}

		@Override
		public ResolvableType getReturnType() {
			return ResolvableType.forClass(this.type);
		}

	}

}
