package dev.boardcast.config;

import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.security.Principal;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.boardcast.security.Viewer;
import graphql.ExecutionInput;
import graphql.GraphQLContext;
import graphql.TrivialDataFetcher;
import graphql.execution.DataFetcherExceptionHandler;
import graphql.execution.ExecutionContext;
import graphql.execution.ExecutionStrategyParameters;
import graphql.execution.FetchedValue;
import graphql.execution.FieldValueInfo;
import graphql.execution.SubscriptionExecutionStrategy;
import graphql.execution.incremental.AlternativeCallContext;
import graphql.language.Argument;
import graphql.language.ArrayValue;
import graphql.language.Directive;
import graphql.language.Field;
import graphql.language.FragmentDefinition;
import graphql.language.FragmentSpread;
import graphql.language.InlineFragment;
import graphql.language.ObjectField;
import graphql.language.ObjectValue;
import graphql.language.OperationDefinition;
import graphql.language.Selection;
import graphql.language.SelectionSet;
import graphql.language.Value;
import graphql.language.VariableReference;
import graphql.schema.DataFetcher;
import graphql.schema.DataFetchingEnvironment;
import graphql.schema.FieldCoordinates;
import graphql.schema.GraphQLFieldDefinition;
import graphql.schema.GraphQLInterfaceType;
import graphql.schema.GraphQLObjectType;
import graphql.schema.GraphQLSchema;
import graphql.schema.GraphQLType;
import graphql.schema.GraphQLTypeUtil;
import graphql.schema.GraphQLUnionType;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.dataloader.BatchLoaderEnvironment;

import org.springframework.graphql.data.method.annotation.ContextValue;
import org.springframework.graphql.data.method.annotation.LocalContextValue;
import org.springframework.graphql.execution.SelfDescribingDataFetcher;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.core.context.SecurityContext;

/**
 * Runs a subscription's selection once per event for all of a replica's subscribers who
 * asked for the same thing, instead of once per subscriber.
 * <p>
 * An event reaches every local subscriber of its board as the same object. When two
 * subscriptions select the same fields of it (the same document text and operation, the
 * same values of the variables used below the subscription field, the same locale) and no
 * field of that selection can depend on who asks, their results for that event are the
 * same: the first subscriber to get there runs the selection, the others take its result
 * and its errors. Who asks reaches a field only through its data fetcher's parameters
 * ({@link Viewer}, a {@link Principal}, the environment or the GraphQL context); a field
 * whose fetcher takes one of those, or whose fetcher is neither a trivial one nor a
 * controller method, keeps the whole selection per subscriber (the web client's, with
 * {@code board { myRole }}, for one). Membership is checked before an event reaches
 * graphql-java, once per subscriber, as before.
 * <p>
 * Results are kept only as long as the event object is (weak keys, bounded), so nothing
 * outlives the delivery of an event; an event read from the log for one subscriber is its
 * own object and is run for it alone.
 */
final class SharedEventExecution extends SubscriptionExecutionStrategy {

	private static final Analysis NOT_SHARED = new Analysis(false, Set.of());

	/**
	 * Per event object: the results of each selection run for it. An event is needed only
	 * until its board's local subscribers have taken it, so a small bound holds the
	 * events in flight; one evicted earlier is run again for whoever still needs it.
	 */
	private final Cache<Object, Map<Key, Shared>> events = Caffeine.newBuilder().weakKeys().maximumSize(1_024).build();

	/** Per parsed operation: whether its subscription field's selection can be shared. */
	private final Cache<OperationDefinition, Analysis> operations = Caffeine.newBuilder()
		.weakKeys()
		.maximumSize(1_000)
		.build();

	private final Counter shared;

	SharedEventExecution(DataFetcherExceptionHandler exceptionHandler, MeterRegistry meters) {
		super(exceptionHandler);
		this.shared = Counter.builder("boardcast.subscription.events.shared")
			.description("Subscription events answered with a result run for another subscriber of the same selection")
			.register(meters);
	}

	/**
	 * graphql-java calls this once per event for the subscription field (the fields below
	 * it are completed by the query strategy), with the event as the fetched value.
	 */
	@Override
	protected FieldValueInfo completeField(ExecutionContext context, ExecutionStrategyParameters parameters,
			Object event) {
		AlternativeCallContext call = parameters.getDeferredCallContext();
		if (event == null || event instanceof FetchedValue || call == null || parameters.getLocalContext() != null) {
			return super.completeField(context, parameters, event);
		}
		Analysis analysis = this.operations.get(context.getOperationDefinition(),
				(operation) -> analyse(context, parameters));
		if (!analysis.shareable()) {
			return super.completeField(context, parameters, event);
		}
		Key key = Key.of(context, analysis.variables());
		Map<Key, Shared> results = this.events.get(event, (ignored) -> new ConcurrentHashMap<>(2));
		Shared mine = new Shared(call);
		Shared first = results.putIfAbsent(key, mine);
		if (first != null) {
			this.shared.increment();
			return first.follow(call);
		}
		try {
			FieldValueInfo info = super.completeField(context, parameters, event);
			mine.complete(info);
			return info;
		}
		catch (RuntimeException | Error ex) {
			results.remove(key, mine);
			mine.value.completeExceptionally(ex);
			throw ex;
		}
	}

	private Analysis analyse(ExecutionContext context, ExecutionStrategyParameters parameters) {
		GraphQLSchema schema = context.getGraphQLSchema();
		Field field = parameters.getField().getSingleField();
		if (parameters.getField().getFields().size() != 1 || field.getSelectionSet() == null) {
			return NOT_SHARED;
		}
		GraphQLObjectType root = schema.getSubscriptionType();
		GraphQLFieldDefinition definition = (root != null) ? root.getFieldDefinition(field.getName()) : null;
		if (definition == null) {
			return NOT_SHARED;
		}
		Walk walk = new Walk(schema, context.getFragmentsByName());
		boolean independent = walk.selection(GraphQLTypeUtil.unwrapAll(definition.getType()), field.getSelectionSet(),
				0);
		return independent ? new Analysis(true, Set.copyOf(walk.variables)) : NOT_SHARED;
	}

	/**
	 * Whether a data fetcher can learn who asks: a controller method that takes the
	 * viewer, a principal, the environment or the GraphQL context can; a trivial fetcher
	 * (a property of its source) cannot; anything else might.
	 */
	static boolean readsCaller(DataFetcher<?> fetcher) {
		Method method = (fetcher instanceof SelfDescribingDataFetcher<?> described) ? described.asMethod() : null;
		if (method != null) {
			for (Parameter parameter : method.getParameters()) {
				if (readsCaller(parameter)) {
					return true;
				}
			}
			return false;
		}
		return !(fetcher instanceof TrivialDataFetcher);
	}

	private static boolean readsCaller(Parameter parameter) {
		Class<?> type = parameter.getType();
		return type == Viewer.class || Principal.class.isAssignableFrom(type) || type == SecurityContext.class
				|| type == DataFetchingEnvironment.class || type == GraphQLContext.class
				|| type == BatchLoaderEnvironment.class || parameter.isAnnotationPresent(AuthenticationPrincipal.class)
				|| parameter.isAnnotationPresent(ContextValue.class)
				|| parameter.isAnnotationPresent(LocalContextValue.class);
	}

	/** A selection's fields, fragments included, and the variables they use. */
	private static final class Walk {

		private static final int DEPTH = 64;

		private final GraphQLSchema schema;

		private final Map<String, FragmentDefinition> fragments;

		private final Set<String> variables = new HashSet<>();

		private final Map<String, Boolean> seen = new HashMap<>();

		Walk(GraphQLSchema schema, Map<String, FragmentDefinition> fragments) {
			this.schema = schema;
			this.fragments = fragments;
		}

		/** Whether no field of the selection reads the caller. */
		boolean selection(GraphQLType parent, SelectionSet set, int depth) {
			if (depth > DEPTH) {
				return false;
			}
			for (Selection<?> selection : set.getSelections()) {
				boolean independent;
				if (selection instanceof Field field) {
					independent = field(parent, field, depth);
				}
				else if (selection instanceof InlineFragment inline) {
					directives(inline.getDirectives());
					independent = selection(typeOf(inline.getTypeCondition(), parent), inline.getSelectionSet(),
							depth + 1);
				}
				else if (selection instanceof FragmentSpread spread) {
					directives(spread.getDirectives());
					independent = spread(spread, depth);
				}
				else {
					independent = false;
				}
				if (!independent) {
					return false;
				}
			}
			return true;
		}

		private boolean spread(FragmentSpread spread, int depth) {
			FragmentDefinition fragment = this.fragments.get(spread.getName());
			if (fragment == null) {
				return false;
			}
			Boolean known = this.seen.get(fragment.getName());
			if (known != null) {
				return known;
			}
			this.seen.put(fragment.getName(), false);
			directives(fragment.getDirectives());
			boolean independent = selection(typeOf(fragment.getTypeCondition(), null), fragment.getSelectionSet(),
					depth + 1);
			this.seen.put(fragment.getName(), independent);
			return independent;
		}

		private boolean field(GraphQLType parent, Field field, int depth) {
			arguments(field.getArguments());
			directives(field.getDirectives());
			if (field.getName().startsWith("__")) {
				return true;
			}
			List<GraphQLObjectType> types = objectTypes(parent);
			if (types.isEmpty()) {
				return false;
			}
			for (GraphQLObjectType type : types) {
				GraphQLFieldDefinition definition = type.getFieldDefinition(field.getName());
				if (definition == null) {
					continue;
				}
				DataFetcher<?> fetcher = this.schema.getCodeRegistry()
					.getDataFetcher(FieldCoordinates.coordinates(type, definition), definition);
				if (readsCaller(fetcher)) {
					return false;
				}
				if (field.getSelectionSet() != null && !selection(GraphQLTypeUtil.unwrapAll(definition.getType()),
						field.getSelectionSet(), depth + 1)) {
					return false;
				}
			}
			return true;
		}

		private List<GraphQLObjectType> objectTypes(GraphQLType type) {
			if (type instanceof GraphQLObjectType object) {
				return List.of(object);
			}
			if (type instanceof GraphQLInterfaceType contract) {
				return this.schema.getImplementations(contract);
			}
			if (type instanceof GraphQLUnionType union) {
				return union.getTypes()
					.stream()
					.filter(GraphQLObjectType.class::isInstance)
					.map(GraphQLObjectType.class::cast)
					.toList();
			}
			return List.of();
		}

		private GraphQLType typeOf(graphql.language.TypeName condition, GraphQLType otherwise) {
			return (condition != null) ? this.schema.getType(condition.getName()) : otherwise;
		}

		/** Notes the variables of directives' arguments ({@code @include(if: $x)}). */
		private void directives(List<Directive> directives) {
			for (Directive directive : directives) {
				arguments(directive.getArguments());
			}
		}

		private void arguments(List<Argument> arguments) {
			for (Argument argument : arguments) {
				value(argument.getValue());
			}
		}

		private void value(Value<?> value) {
			if (value instanceof VariableReference reference) {
				this.variables.add(reference.getName());
			}
			else if (value instanceof ArrayValue array) {
				array.getValues().forEach(this::value);
			}
			else if (value instanceof ObjectValue object) {
				object.getObjectFields().stream().map(ObjectField::getValue).forEach(this::value);
			}
		}

	}

	/** Whether an operation's selection can be shared, and the variables it uses. */
	private record Analysis(boolean shareable, Set<String> variables) {
	}

	/**
	 * What makes two subscriptions' results for one event the same: the schema, the
	 * document's text and the operation's name, the values of the variables the selection
	 * uses, and the locale.
	 */
	private record Key(GraphQLSchema schema, String document, String operation, Map<String, Object> variables,
			Locale locale) {

		static Key of(ExecutionContext context, Set<String> used) {
			Map<String, Object> variables = Map.of();
			if (!used.isEmpty()) {
				Map<String, Object> all = context.getCoercedVariables().toMap();
				variables = new HashMap<>();
				for (String name : used) {
					variables.put(name, all.get(name));
				}
			}
			ExecutionInput input = context.getExecutionInput();
			return new Key(context.getGraphQLSchema(), input.getQuery(), input.getOperationName(), variables,
					context.getLocale());
		}

	}

	/** One run of a selection for one event, as its followers see it. */
	private static final class Shared {

		private final AlternativeCallContext call;

		private final CompletableFuture<Object> value = new CompletableFuture<>();

		Shared(AlternativeCallContext call) {
			this.call = call;
		}

		void complete(FieldValueInfo info) {
			info.getFieldValueFuture().whenComplete((result, error) -> {
				if (error != null) {
					this.value.completeExceptionally(error);
				}
				else {
					this.value.complete(result);
				}
			});
		}

		/**
		 * The same value for another subscriber, with the errors the run recorded (all of
		 * them are in by the time its value completes).
		 */
		FieldValueInfo follow(AlternativeCallContext follower) {
			// graphql-java reads only the future of a subscription event's field
			return new FieldValueInfo(FieldValueInfo.CompleteValueType.OBJECT, this.value.thenApply((result) -> {
				follower.addErrors(this.call.getErrors());
				return result;
			}));
		}

	}

}
