package dev.boardcast.limits;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.boardcast.common.RefusedRequest;
import dev.boardcast.ratelimit.InFlight;
import graphql.ExecutionResult;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.test.scheduler.VirtualTimeScheduler;

import org.springframework.graphql.support.DefaultExecutionGraphQlResponse;
import org.springframework.graphql.server.WebGraphQlInterceptor.Chain;
import org.springframework.graphql.server.WebGraphQlRequest;
import org.springframework.graphql.server.WebGraphQlResponse;
import org.springframework.http.HttpHeaders;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The replica's running places: past them, operations wait and start in the order they
 * came as earlier ones end (answered or failed); one given up while waiting never starts;
 * every operation gets its own answer; one that waited too long is refused as overload,
 * 503 with Retry-After.
 */
class RunningOperationsTest {

	private static final Duration WAIT = Duration.ofSeconds(1);

	/** The waits' clock, moved by the tests. */
	private final VirtualTimeScheduler clock = VirtualTimeScheduler.create();

	private final InFlight.Waits waits = new InFlight.Waits(WAIT, this.clock);

	private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

	/** What the operations sent with {@link #offer} got: a response or an error. */
	private final List<Object> answered = new ArrayList<>();

	/**
	 * The operations the chain has started, in order, each ended by completing its sink.
	 */
	private final List<String> started = new ArrayList<>();

	private final List<Sinks.One<WebGraphQlResponse>> running = new ArrayList<>();

	private final Chain chain = (request) -> {
		Sinks.One<WebGraphQlResponse> sink = Sinks.one();
		this.started.add(request.getId());
		this.running.add(sink);
		return sink.asMono();
	};

	@Test
	void operationsPastTheRunningPlacesWaitAndStartInTheOrderTheyCame() {
		RunningOperations operations = new RunningOperations(2, this.waits, this.meters);
		List<String> outcomes = new ArrayList<>();
		for (int i = 1; i <= 5; i++) {
			String id = "op" + i;
			operations.intercept(request(id), this.chain)
				.subscribe((response) -> outcomes.add(id), (ex) -> outcomes.add(id + " failed"));
		}
		assertThat(this.started).containsExactly("op1", "op2");

		answer(1);
		assertThat(this.started).containsExactly("op1", "op2", "op3");
		this.running.get(0).tryEmitError(new IllegalStateException("boom"));
		assertThat(this.started).containsExactly("op1", "op2", "op3", "op4");
		answer(2);
		answer(3);
		answer(4);
		assertThat(this.started).containsExactly("op1", "op2", "op3", "op4", "op5");
		assertThat(outcomes).containsExactly("op2", "op1 failed", "op3", "op4", "op5");
	}

	@Test
	void anOperationGivenUpWhileWaitingNeverStarts() {
		RunningOperations operations = new RunningOperations(1, this.waits, this.meters);
		operations.intercept(request("op1"), this.chain).subscribe();
		Disposable gone = operations.intercept(request("op2"), this.chain).subscribe();
		operations.intercept(request("op3"), this.chain).subscribe();
		gone.dispose();

		answer(0);
		assertThat(this.started).containsExactly("op1", "op3");
		answer(1);
		// the place came back: the next operation starts at once
		operations.intercept(request("op4"), this.chain).subscribe();
		assertThat(this.started).containsExactly("op1", "op3", "op4");
	}

	@Test
	void inABurstAnOperationWaitsUpToTheMaxWaitThenIsRefusedAsOverload() {
		RunningOperations operations = new RunningOperations(1, this.waits, this.meters);
		for (String id : List.of("op1", "op2", "op3")) {
			offer(operations, id);
		}
		this.clock.advanceTimeBy(Duration.ofMillis(999));
		assertThat(this.answered).isEmpty();

		this.clock.advanceTimeBy(Duration.ofMillis(1));
		assertThat(this.answered).hasSize(2).allSatisfy((refusal) -> assertOverloaded(refusal));
		assertThat(this.started).containsExactly("op1");
		assertThat(this.meters.counter("boardcast.overload.refused").count()).isEqualTo(2);

		// the refused ones never run; the place goes to whoever comes next
		answer(0);
		assertThat(this.started).containsExactly("op1");
		offer(operations, "op4");
		assertThat(this.started).containsExactly("op1", "op4");
		answer(1);
		assertThat(this.answered).hasSize(4);
		assertThat(this.answered.get(2)).isInstanceOf(WebGraphQlResponse.class);
		assertThat(this.answered.get(3)).isInstanceOf(WebGraphQlResponse.class);
	}

	@Test
	void eachOperationHasItsOwnWait() {
		RunningOperations operations = new RunningOperations(1, this.waits, this.meters);
		offer(operations, "op1");
		offer(operations, "op2");
		this.clock.advanceTimeBy(Duration.ofMillis(600));
		offer(operations, "op3");
		this.clock.advanceTimeBy(Duration.ofMillis(400));
		assertThat(this.answered).singleElement().satisfies((refusal) -> assertOverloaded(refusal));

		// op3 has waited 400 ms: it gets the place
		answer(0);
		assertThat(this.started).containsExactly("op1", "op3");
		this.clock.advanceTimeBy(Duration.ofSeconds(5));
		answer(1);
		assertThat(this.answered).hasSize(3);
		assertThat(this.answered.subList(1, 3)).allMatch(WebGraphQlResponse.class::isInstance);
	}

	@Test
	void pastItsCapacityTheLineRefusesAtOnceWhatItWouldNotServeInTime() {
		RunningOperations operations = new RunningOperations(1, this.waits, this.meters);
		offer(operations, "op1");
		offer(operations, "op2");
		this.clock.advanceTimeBy(Duration.ofMillis(500));
		// one place given back in the first second
		answer(0);
		offer(operations, "op3");
		offer(operations, "op4");
		// op2 still runs: op3 and op4 wait out their second, the line has overflowed
		this.clock.advanceTimeBy(Duration.ofMillis(1000));
		assertThat(this.answered).hasSize(3);
		assertThat(this.answered.subList(1, 3)).allSatisfy((refusal) -> assertOverloaded(refusal));

		// it served one in the last second: one may wait, the next is told at once
		offer(operations, "op5");
		offer(operations, "op6");
		assertThat(this.answered).hasSize(4);
		assertOverloaded(this.answered.get(3));
		answer(1);
		assertThat(this.started).containsExactly("op1", "op2", "op5");

		// a second without a wait running out: a newcomer may wait again, however many
		// wait already
		this.clock.advanceTimeBy(Duration.ofMillis(1000));
		offer(operations, "op7");
		offer(operations, "op8");
		assertThat(this.answered).hasSize(5);
		answer(2);
		answer(3);
		answer(4);
		assertThat(this.started).containsExactly("op1", "op2", "op5", "op7", "op8");
		assertThat(this.meters.counter("boardcast.overload.refused").count()).isEqualTo(3);
	}

	@Test
	void anOperationThatGetsAPlaceInTimeIsNotRefusedLater() {
		RunningOperations operations = new RunningOperations(1, this.waits, this.meters);
		offer(operations, "op1");
		offer(operations, "op2");
		this.clock.advanceTimeBy(Duration.ofMillis(999));
		answer(0);
		// op2 runs longer than the wait: running is not waiting
		this.clock.advanceTimeBy(Duration.ofSeconds(10));
		answer(1);
		assertThat(this.started).containsExactly("op1", "op2");
		assertThat(this.answered).hasSize(2).allMatch(WebGraphQlResponse.class::isInstance);
	}

	private static void assertOverloaded(Object answer) {
		assertThat(answer).isInstanceOfSatisfying(RefusedRequest.class, (refused) -> {
			assertThat(refused.getStatusCode().value()).isEqualTo(503);
			assertThat(refused.getReason()).isEqualTo("The server is busy: retry in 1 s");
			assertThat(refused.extensions()).containsEntry("code", "RATE_LIMITED")
				.containsEntry("reason", "OVERLOADED")
				.containsEntry("retryAfterSeconds", 1);
			assertThat(refused.getHeaders().getFirst("Retry-After")).isEqualTo("1");
		});
	}

	@Test
	void theDefaultIsEightPlacesPerCore() {
		Limits limits = new Limits(10, 15, 10, 20, 2000, 65536, 500000, null, 0, WAIT);
		assertThat(limits.runningOperations()).isEqualTo(8 * Runtime.getRuntime().availableProcessors());
		assertThat(new Limits(10, 15, 10, 20, 2000, 65536, 500000, null, 3, WAIT).runningOperations()).isEqualTo(3);
	}

	/**
	 * Sends an operation through the line, its answer or error going to
	 * {@link #answered}.
	 */
	private void offer(RunningOperations operations, String id) {
		operations.intercept(request(id), this.chain).subscribe(this.answered::add, this.answered::add);
	}

	/** Answers the i-th started operation (0-based) with an empty result. */
	private void answer(int i) {
		this.running.get(i).tryEmitValue(response(this.started.get(i)));
	}

	private static WebGraphQlRequest request(String id) {
		return new WebGraphQlRequest(URI.create("http://localhost/graphql"), new HttpHeaders(), null, null, Map.of(),
				Map.of("query", "{ me { id } }"), id, null);
	}

	private static WebGraphQlResponse response(String id) {
		WebGraphQlRequest request = request(id);
		return new WebGraphQlResponse(new DefaultExecutionGraphQlResponse(request.toExecutionInput(),
				ExecutionResult.newExecutionResult().data(Map.of()).build()));
	}

}
