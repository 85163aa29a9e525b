package dev.boardcast.config;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;

import graphql.schema.DataFetchingEnvironment;
import graphql.schema.FieldCoordinates;
import graphql.schema.GraphQLCodeRegistry;
import graphql.schema.GraphQLFieldDefinition;
import graphql.schema.GraphQLObjectType;
import graphql.schema.GraphQLSchemaElement;
import graphql.schema.GraphQLTypeVisitor;
import graphql.schema.GraphQLTypeVisitorStub;
import graphql.schema.LightDataFetcher;
import graphql.schema.PropertyDataFetcher;
import graphql.schema.fetching.LambdaFetchingSupport;
import graphql.util.TraversalControl;
import graphql.util.TraverserContext;

/**
 * The fields no controller answers (a task's title, a label's color: most of the 2,500
 * values of a board read) read from their object through a getter each field finds once
 * per class. graphql-java's default fetcher finds the same getter (a public
 * {@code getX()}, {@code isX()} or {@code x()}) but looks it up on every fetch, in a map
 * shared by all fields, under a key it allocates from the class and the field's name.
 * What has no such getter (a map, a public field, a getter taking the environment) goes
 * to graphql-java's default fetcher, as before.
 */
final class DirectPropertyFetching {

	private DirectPropertyFetching() {
	}

	/**
	 * Registers a {@link Getter} on every field of an object type that has no fetcher.
	 */
	static GraphQLTypeVisitor typeVisitor() {
		return new GraphQLTypeVisitorStub() {

			@Override
			public TraversalControl visitGraphQLFieldDefinition(GraphQLFieldDefinition field,
					TraverserContext<GraphQLSchemaElement> context) {
				if (context.getParentNode() instanceof GraphQLObjectType parent && !parent.getName().startsWith("__")) {
					GraphQLCodeRegistry.Builder registry = context.getVarFromParents(GraphQLCodeRegistry.Builder.class);
					FieldCoordinates coordinates = FieldCoordinates.coordinates(parent, field);
					if (!registry.hasDataFetcher(coordinates)) {
						registry.dataFetcher(coordinates, new Getter(field.getName()));
					}
				}
				return TraversalControl.CONTINUE;
			}

		};
	}

	/** One field's value, by the class of its source. */
	static final class Getter implements LightDataFetcher<Object> {

		/** No getter: the fallback answers. */
		private static final Function<Object, Object> NONE = (source) -> null;

		private final String name;

		private final PropertyDataFetcher<Object> fallback;

		private final Map<Class<?>, Function<Object, Object>> byClass = new ConcurrentHashMap<>();

		/** The last class seen with its getter ({@code NONE}: the fallback answers). */
		private Found last;

		Getter(String name) {
			this.name = name;
			this.fallback = PropertyDataFetcher.fetching(name);
		}

		private record Found(Class<?> type, Function<Object, Object> getter) {
		}

		@Override
		public Object get(GraphQLFieldDefinition field, Object source, Supplier<DataFetchingEnvironment> env)
				throws Exception {
			if (source == null || source instanceof Map) {
				return this.fallback.get(field, source, env);
			}
			Found found = this.last;
			if (found == null || found.type() != source.getClass()) {
				found = new Found(source.getClass(), this.byClass.computeIfAbsent(source.getClass(), this::getterOf));
				this.last = found;
			}
			return (found.getter() != NONE) ? found.getter().apply(source) : this.fallback.get(field, source, env);
		}

		@Override
		public Object get(DataFetchingEnvironment env) throws Exception {
			return get(env.getFieldDefinition(), env.getSource(), () -> env);
		}

		private Function<Object, Object> getterOf(Class<?> type) {
			return LambdaFetchingSupport.createGetter(type, this.name).orElse(NONE);
		}

	}

}
