package dev.boardcast.config;

import java.lang.reflect.Field;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;

import graphql.ExecutionInput;
import graphql.ExecutionResult;
import graphql.GraphQL;
import graphql.execution.DataLoaderDispatchStrategy;
import graphql.execution.ExecutionContext;
import graphql.execution.SubscriptionExecutionStrategy;
import graphql.execution.instrumentation.ChainedInstrumentation;
import graphql.execution.instrumentation.ExecutionStrategyInstrumentationContext;
import graphql.execution.instrumentation.Instrumentation;
import graphql.execution.instrumentation.InstrumentationState;
import graphql.execution.instrumentation.parameters.InstrumentationExecutionStrategyParameters;
import graphql.schema.DataFetcher;
import graphql.schema.GraphQLSchema;
import graphql.schema.idl.RuntimeWiring;
import graphql.schema.idl.SchemaGenerator;
import graphql.schema.idl.SchemaParser;
import org.dataloader.DataLoader;
import org.dataloader.DataLoaderFactory;
import org.dataloader.DataLoaderRegistry;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A subscription's delivered events leave nothing behind in graphql-java's DataLoader
 * dispatch state, while every event is still resolved through its DataLoader as before.
 * The second test shows the graphql-java bug itself: when it fails, graphql-java no
 * longer keeps the events and {@link SubscriptionEventRelease} can go.
 */
class SubscriptionEventReleaseTest {

	private static final int EVENTS = 300;

	private static final GraphQLSchema SCHEMA = schema();

	@Test
	void deliveredEventsAreForgottenAndStillLoadTheirFields() throws Exception {
		AtomicReference<ExecutionContext> execution = new AtomicReference<>();
		List<String> names = subscribe(new ChainedInstrumentation(new SubscriptionEventRelease(), capture(execution)));

		assertThat(names)
			.containsExactlyElementsOf(IntStream.rangeClosed(1, EVENTS).mapToObj((n) -> "name " + n).toList());
		DataLoaderDispatchStrategy strategy = execution.get().getDataLoaderDispatcherStrategy();
		assertThat(strategy).isInstanceOf(SubscriptionEventRelease.Releasing.class);
		Map<?, ?> held = heldEvents(((SubscriptionEventRelease.Releasing) strategy).delegate());
		assertThat(eventually(held, 0)).as("events graphql-java still holds").isEmpty();
	}

	@Test
	void graphqlJavaAloneKeepsEveryEventUntilTheSubscriptionEnds() throws Exception {
		AtomicReference<ExecutionContext> execution = new AtomicReference<>();
		List<String> names = subscribe(capture(execution));

		assertThat(names).hasSize(EVENTS);
		Map<?, ?> held = heldEvents(execution.get().getDataLoaderDispatcherStrategy());
		assertThat(eventually(held, EVENTS)).hasSize(EVENTS);
	}

	/**
	 * Subscribes to EVENTS events, each of whose name comes from a batch-loading
	 * DataLoader, with the events kept in order as the server asks, and stops after the
	 * last: the stream itself stays open, as a board's does. (graphql-java 25 can lose
	 * the completion of a stream that ends while its last event is still loading, and the
	 * subscriber then waits for ever; fixed in 26.0 by graphql-java#4296.)
	 */
	private static List<String> subscribe(Instrumentation instrumentation) {
		DataLoader<Integer, String> loader = DataLoaderFactory.newDataLoader((List<Integer> keys) -> CompletableFuture
			.supplyAsync(() -> keys.stream().map((key) -> "name " + key).toList()));
		DataLoaderRegistry registry = DataLoaderRegistry.newRegistry().register("names", loader).build();
		GraphQL graphQl = GraphQL.newGraphQL(SCHEMA).instrumentation(instrumentation).build();
		ExecutionResult result = graphQl.execute(ExecutionInput.newExecutionInput()
			.query("subscription { numbers { n name } }")
			.dataLoaderRegistry(registry)
			.graphQLContext(Map.of(SubscriptionExecutionStrategy.KEEP_SUBSCRIPTION_EVENTS_ORDERED, true))
			.build());
		assertThat(result.getErrors()).isEmpty();
		Publisher<ExecutionResult> events = result.getData();
		// events complete on the DataLoader's threads: collected into a concurrent list
		List<String> names = new CopyOnWriteArrayList<>();
		Flux.from(events).take(EVENTS).doOnNext((event) -> {
			assertThat(event.getErrors()).isEmpty();
			Map<String, Map<String, Object>> data = event.getData();
			names.add((String) data.get("numbers").get("name"));
		}).blockLast(Duration.ofSeconds(30));
		return names;
	}

	private static Instrumentation capture(AtomicReference<ExecutionContext> execution) {
		return new Instrumentation() {
			@Override
			public ExecutionStrategyInstrumentationContext beginExecutionStrategy(
					InstrumentationExecutionStrategyParameters parameters, InstrumentationState state) {
				execution.set(parameters.getExecutionContext());
				return ExecutionStrategyInstrumentationContext.NOOP;
			}
		};
	}

	/**
	 * graphql-java's own map of events (read here independently of the class under test).
	 */
	private static Map<?, ?> heldEvents(DataLoaderDispatchStrategy strategy) throws ReflectiveOperationException {
		Field field = strategy.getClass().getDeclaredField("alternativeCallContextMap");
		field.setAccessible(true);
		return (Map<?, ?>) field.get(strategy);
	}

	/**
	 * The map once it holds the expected number of events, or as it is after 5 s: each
	 * event is released when its result completes, which may be just after the subscriber
	 * received it.
	 */
	private static Map<?, ?> eventually(Map<?, ?> held, int expected) throws InterruptedException {
		long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
		while (held.size() != expected && System.nanoTime() < deadline) {
			Thread.sleep(10);
		}
		return held;
	}

	private static GraphQLSchema schema() {
		String sdl = """
				type Query { ok: Boolean }
				type Subscription { numbers: Item }
				type Item { n: Int name: String }
				""";
		DataFetcher<Publisher<Map<String, Object>>> numbers = (
				env) -> Flux.range(1, EVENTS).map((n) -> Map.<String, Object>of("n", n)).concatWith(Flux.never());
		DataFetcher<CompletableFuture<String>> name = (env) -> {
			Map<String, Object> item = env.getSource();
			return env.<Integer, String>getDataLoader("names").load((Integer) item.get("n"));
		};
		RuntimeWiring wiring = RuntimeWiring.newRuntimeWiring()
			.type("Subscription", (type) -> type.dataFetcher("numbers", numbers))
			.type("Item", (type) -> type.dataFetcher("name", name))
			.build();
		return new SchemaGenerator().makeExecutableSchema(new SchemaParser().parse(sdl), wiring);
	}

}
