package dev.boardcast.config;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import graphql.ExecutionInput;
import graphql.ExecutionResult;
import graphql.GraphQL;
import graphql.TrivialDataFetcher;
import graphql.execution.SimpleDataFetcherExceptionHandler;
import graphql.execution.preparsed.PreparsedDocumentEntry;
import graphql.execution.preparsed.PreparsedDocumentProvider;
import graphql.schema.DataFetcher;
import graphql.schema.DataFetchingEnvironment;
import graphql.schema.idl.RuntimeWiring;
import graphql.schema.idl.SchemaGenerator;
import graphql.schema.idl.SchemaParser;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link SharedEventExecution} on graphql-java alone: subscriptions of one document run
 * each event's selection once and all get its data and its errors; a field whose fetcher
 * might read the caller, or a variable used below the subscription field with another
 * value, keeps the runs apart.
 */
class SharedEventRunsTest {

	record Event(int id) {
	}

	/** The same event objects for every subscription, as a replica hands them out. */
	static final List<Event> EVENTS = List.of(new Event(1), new Event(2), new Event(3));

	final AtomicInteger names = new AtomicInteger();

	final AtomicInteger callers = new AtomicInteger();

	final SimpleMeterRegistry meters = new SimpleMeterRegistry();

	final GraphQL graphQl = graphQl();

	@Test
	void oneRunPerEventForEverySubscriptionOfTheSameSelectionErrorsIncluded() {
		String document = "subscription($from: Int) { events(from: $from) { id name broken } }";
		List<Map<String, Object>> first = subscribe(document, Map.of("from", 0));
		List<Map<String, Object>> second = subscribe(document, Map.of("from", 1));

		assertThat(this.names).as("runs of Event.name").hasValue(3);
		assertThat(second).isEqualTo(first).hasSize(3);
		assertThat(first.get(1)).containsEntry("data", Map.of("events", eventWith(2, null)));
		assertThat(first.get(1).get("errors")).asString().contains("broken 2").contains("[events, broken]");
		assertThat(first.get(0)).doesNotContainKey("errors");
		assertThat(this.meters.counter("boardcast.subscription.events.shared").count()).isEqualTo(3);
	}

	@Test
	void aFieldThatMightReadTheCallerIsRunForEachSubscription() {
		String document = "subscription { events { id name caller } }";
		List<Map<String, Object>> first = subscribe(document, Map.of());
		List<Map<String, Object>> second = subscribe(document, Map.of());

		assertThat(second).isEqualTo(first).hasSize(3);
		assertThat(this.names).hasValue(6);
		assertThat(this.callers).hasValue(6);
		assertThat(this.meters.counter("boardcast.subscription.events.shared").count()).isZero();
	}

	@Test
	void aVariableUsedBelowTheSubscriptionFieldIsPartOfWhatIsShared() {
		String document = "subscription($loud: Boolean) { events { id name(loud: $loud) } }";
		List<Map<String, Object>> quiet = subscribe(document, Map.of("loud", false));
		List<Map<String, Object>> loud = subscribe(document, Map.of("loud", true));
		List<Map<String, Object>> quietAgain = subscribe(document, Map.of("loud", false));

		assertThat(quiet.get(0)).isEqualTo(Map.of("data", Map.of("events", Map.of("id", 1, "name", "event 1"))));
		assertThat(loud.get(0)).isEqualTo(Map.of("data", Map.of("events", Map.of("id", 1, "name", "EVENT 1"))));
		assertThat(quietAgain).isEqualTo(quiet);
		assertThat(this.names).hasValue(6);
	}

	private static Map<String, Object> eventWith(int id, Object broken) {
		Map<String, Object> event = new java.util.LinkedHashMap<>();
		event.put("id", id);
		event.put("name", "event " + id);
		event.put("broken", broken);
		return event;
	}

	@SuppressWarnings("unchecked")
	private List<Map<String, Object>> subscribe(String document, Map<String, Object> variables) {
		ExecutionResult result = this.graphQl
			.execute(ExecutionInput.newExecutionInput(document).variables(variables).build());
		assertThat(result.getErrors()).isEmpty();
		return Flux.from((Publisher<ExecutionResult>) result.getData())
			.map(ExecutionResult::toSpecification)
			.collectList()
			.block();
	}

	private GraphQL graphQl() {
		String sdl = """
				type Query { unused: Int }
				type Subscription { events(from: Int): Event }
				type Event { id: Int name(loud: Boolean): String broken: String caller: String }
				""";
		DataFetcher<Object> events = (env) -> Flux.fromIterable(EVENTS);
		TrivialDataFetcher<Object> name = (env) -> {
			this.names.incrementAndGet();
			String text = "event " + ((Event) env.getSource()).id();
			return Boolean.TRUE.equals(env.getArgument("loud")) ? text.toUpperCase() : text;
		};
		TrivialDataFetcher<Object> broken = (env) -> {
			if (((Event) env.getSource()).id() == 2) {
				throw new IllegalStateException("broken 2");
			}
			return null;
		};
		DataFetcher<Object> caller = (DataFetchingEnvironment env) -> {
			this.callers.incrementAndGet();
			return "someone";
		};
		RuntimeWiring wiring = RuntimeWiring.newRuntimeWiring()
			.type("Subscription", (type) -> type.dataFetcher("events", events))
			.type("Event",
					(type) -> type.dataFetcher("name", name)
						.dataFetcher("broken", broken)
						.dataFetcher("caller", caller))
			.build();
		return GraphQL.newGraphQL(new SchemaGenerator().makeExecutableSchema(new SchemaParser().parse(sdl), wiring))
			.subscriptionExecutionStrategy(
					new SharedEventExecution(new SimpleDataFetcherExceptionHandler(), this.meters))
			.preparsedDocumentProvider(new Documents())
			.build();
	}

	/** One parsed document per text, as the app's document cache. */
	static final class Documents implements PreparsedDocumentProvider {

		private final Map<String, PreparsedDocumentEntry> entries = new ConcurrentHashMap<>();

		@Override
		public CompletableFuture<PreparsedDocumentEntry> getDocumentAsync(ExecutionInput input,
				Function<ExecutionInput, PreparsedDocumentEntry> parse) {
			return CompletableFuture
				.completedFuture(this.entries.computeIfAbsent(input.getQuery(), (text) -> parse.apply(input)));
		}

	}

}
