package dev.boardcast.task;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

import dev.boardcast.common.Connection;
import dev.boardcast.label.Label;
import dev.boardcast.label.LabelService;
import dev.boardcast.user.User;
import dev.boardcast.user.UserService;
import graphql.TrivialDataFetcher;
import graphql.execution.DataFetcherResult;
import graphql.schema.DataFetcher;
import graphql.schema.DataFetchingEnvironment;
import graphql.schema.DataFetchingFieldSelectionSet;
import graphql.schema.FieldCoordinates;
import graphql.schema.GraphQLCodeRegistry;
import graphql.schema.GraphQLFieldDefinition;
import graphql.schema.GraphQLFieldsContainer;
import graphql.schema.GraphQLSchemaElement;
import graphql.schema.GraphQLTypeVisitor;
import graphql.schema.GraphQLTypeVisitorStub;
import graphql.util.TraversalControl;
import graphql.util.TraverserContext;
import reactor.core.publisher.Mono;

import org.springframework.core.ResolvableType;
import org.springframework.graphql.execution.SelfDescribingDataFetcher;

/**
 * The assignees and labels of a page of tasks, loaded with the page when its selection
 * asks for them: a board read shows both on each of its 250 cards. Loaded this way, the
 * two fields of each task are answered from memory as it completes, instead of each going
 * through a batch loader (a future per task and field, and a context snapshot per call);
 * the statements are the same, one for the users and one for the labels of the whole
 * batch of columns. A task the page did not load (reached some other way) falls back to
 * the batch mappings in {@link TaskController}.
 */
public final class TaskCardFields {

	/** The value of a field this does not know: the batch mapping answers instead. */
	private static final Object UNKNOWN = new Object();

	/** Users by id; null when the selection did not ask for assignees. */
	private final Map<UUID, User> users;

	/** The page's labels; null when the selection did not ask for labels. */
	private final LabelOrder labels;

	private TaskCardFields(Map<UUID, User> users, Map<UUID, Label> labels) {
		this.users = users;
		this.labels = (labels != null) ? new LabelOrder(labels) : null;
	}

	/**
	 * Loaded labels, each with its place among them by name (lower-cased), so that a
	 * task's labels sort by a number: comparing names lower-cased each name at each
	 * comparison (250 cards per board read). Names equal but for case share a place, and
	 * the sort is stable, so such labels keep the task's order.
	 */
	static final class LabelOrder {

		private static final Comparator<Ranked> BY_RANK = Comparator.comparingInt(Ranked::rank);

		private final Map<UUID, Ranked> byId;

		private record Ranked(Label label, int rank) {
		}

		LabelOrder(Map<UUID, Label> byId) {
			List<Label> sorted = new ArrayList<>(byId.values());
			sorted.sort(Comparator.comparing((Label label) -> label.name().toLowerCase()));
			this.byId = new HashMap<>((int) (sorted.size() / 0.75f) + 1);
			int rank = 0;
			String previous = null;
			for (Label label : sorted) {
				String name = label.name().toLowerCase();
				if (previous != null && !name.equals(previous)) {
					rank++;
				}
				previous = name;
				this.byId.put(label.id(), new Ranked(label, rank));
			}
		}

		/**
		 * A task's labels by name; one that was not loaded is left out, or makes the
		 * answer null when {@code all} is asked for.
		 */
		List<Label> of(Task task, boolean all) {
			List<UUID> ids = task.labelIds();
			if (ids.isEmpty()) {
				return List.of();
			}
			List<Ranked> found = new ArrayList<>(ids.size());
			for (UUID id : ids) {
				Ranked ranked = this.byId.get(id);
				if (ranked != null) {
					found.add(ranked);
				}
				else if (all) {
					return null;
				}
			}
			found.sort(BY_RANK);
			List<Label> result = new ArrayList<>(found.size());
			for (Ranked ranked : found) {
				result.add(ranked.label());
			}
			return result;
		}

	}

	/** What a selection of a page of tasks asks of each task. */
	public record Wanted(boolean assignee, boolean labels) {

		static final Wanted NOTHING = new Wanted(false, false);

		/** What a selection on a task connection asks, through nodes or edges. */
		public static Wanted of(DataFetchingFieldSelectionSet selection) {
			return new Wanted(selection.contains("nodes/assignee") || selection.contains("edges/node/assignee"),
					selection.contains("nodes/labels") || selection.contains("edges/node/labels"));
		}

		Wanted or(Object other) {
			return (other instanceof Wanted wanted)
					? new Wanted(this.assignee || wanted.assignee, this.labels || wanted.labels) : this;
		}

	}

	/** A page of tasks with what was loaded for their cards (null: nothing). */
	public record Page(Connection<Task> tasks, TaskCardFields cards) {

		/** The page, with its card fields passed down to its tasks. */
		public DataFetcherResult<Connection<Task>> result() {
			return DataFetcherResult.<Connection<Task>>newResult().data(this.tasks).localContext(this.cards).build();
		}

	}

	/** The pages, each with the card fields of all of them (what {@code wanted} asks). */
	static <K> Mono<Map<K, Page>> load(Map<K, Connection<Task>> pages, Collection<Object> wanted, UserService users,
			LabelService labels) {
		Wanted union = wanted.stream().reduce(Wanted.NOTHING, Wanted::or, (a, b) -> a.or(b));
		List<Task> tasks = new ArrayList<>();
		for (Connection<Task> page : pages.values()) {
			for (Connection.Edge<Task> edge : page.edges()) {
				tasks.add(edge.node());
			}
		}
		if (tasks.isEmpty() || !(union.assignee() || union.labels())) {
			return Mono.just(pages(pages, null));
		}
		Mono<Map<UUID, User>> assignees = union.assignee() ? assignees(tasks, users) : Mono.just(Map.of());
		Mono<Map<UUID, Label>> labelsById = union.labels() ? labels(tasks, labels) : Mono.just(Map.of());
		return Mono.zip(assignees, labelsById)
			.map((loaded) -> pages(pages, new TaskCardFields(union.assignee() ? loaded.getT1() : null,
					union.labels() ? loaded.getT2() : null)));
	}

	private static <K> Map<K, Page> pages(Map<K, Connection<Task>> pages, TaskCardFields cards) {
		Map<K, Page> result = new LinkedHashMap<>();
		pages.forEach((key, page) -> result.put(key, new Page(page, cards)));
		return result;
	}

	/** The assignees of these tasks, by id: one statement. */
	static Mono<Map<UUID, User>> assignees(List<Task> tasks, UserService users) {
		List<UUID> ids = tasks.stream().map(Task::assigneeId).filter(Objects::nonNull).distinct().toList();
		return ids.isEmpty() ? Mono.just(Map.of()) : users.byIds(ids);
	}

	/** The labels these tasks carry, by id: one statement. */
	static Mono<Map<UUID, Label>> labels(List<Task> tasks, LabelService labels) {
		List<UUID> ids = tasks.stream().flatMap((task) -> task.labelIds().stream()).distinct().toList();
		return ids.isEmpty() ? Mono.just(Map.of()) : labels.byIds(ids);
	}

	private Object assigneeOf(Task task) {
		if (this.users == null) {
			return UNKNOWN;
		}
		if (task.assigneeId() == null) {
			return null;
		}
		User user = this.users.get(task.assigneeId());
		return (user != null) ? user : UNKNOWN;
	}

	private Object labelsOf(Task task) {
		// a label the page did not load: the batch mapping answers
		List<Label> labels = (this.labels != null) ? this.labels.of(task, true) : null;
		return (labels != null) ? labels : UNKNOWN;
	}

	/**
	 * Puts {@link CardField} in front of the batch mappings of {@code Task.assignee} and
	 * {@code Task.labels}. It runs before Spring for GraphQL decorates the data fetchers
	 * with context propagation, which it leaves out for trivial ones.
	 */
	public static GraphQLTypeVisitor typeVisitor() {
		return new GraphQLTypeVisitorStub() {

			@Override
			public TraversalControl visitGraphQLFieldDefinition(GraphQLFieldDefinition field,
					TraverserContext<GraphQLSchemaElement> context) {
				if (context.getParentNode() instanceof GraphQLFieldsContainer parent && parent.getName().equals("Task")
						&& (field.getName().equals("assignee") || field.getName().equals("labels"))) {
					GraphQLCodeRegistry.Builder registry = context.getVarFromParents(GraphQLCodeRegistry.Builder.class);
					FieldCoordinates coordinates = FieldCoordinates.coordinates(parent, field);
					DataFetcher<?> batched = registry.getDataFetcher(coordinates, field);
					if (batched instanceof SelfDescribingDataFetcher<?> described) {
						registry.dataFetcher(coordinates, new CardField(field.getName().equals("assignee"), described));
					}
				}
				return TraversalControl.CONTINUE;
			}

		};
	}

	/**
	 * {@code Task.assignee} or {@code Task.labels}: from the card fields loaded with the
	 * task's page when there are any, else from the batch mapping. Trivial in
	 * graphql-java's sense when answered from memory; the batch mapping it falls back to
	 * needs no context of the calling thread (its loader runs with the request's
	 * context).
	 */
	static final class CardField implements TrivialDataFetcher<Object>, SelfDescribingDataFetcher<Object> {

		private final boolean assignee;

		private final SelfDescribingDataFetcher<?> batched;

		CardField(boolean assignee, SelfDescribingDataFetcher<?> batched) {
			this.assignee = assignee;
			this.batched = batched;
		}

		@Override
		public Object get(DataFetchingEnvironment env) throws Exception {
			if (env.getLocalContext() instanceof TaskCardFields cards && env.getSource() instanceof Task task) {
				Object value = this.assignee ? cards.assigneeOf(task) : cards.labelsOf(task);
				if (value != UNKNOWN) {
					return value;
				}
			}
			return this.batched.get(env);
		}

		@Override
		public String getDescription() {
			return this.batched.getDescription();
		}

		@Override
		public ResolvableType getReturnType() {
			return this.batched.getReturnType();
		}

		@Override
		public Map<String, ResolvableType> getArguments() {
			return this.batched.getArguments();
		}

		@Override
		public boolean usesDataLoader() {
			return this.batched.usesDataLoader();
		}

		/** The batch mapping's method, which is what may run. */
		@Override
		public Method asMethod() {
			return this.batched.asMethod();
		}

	}

}
