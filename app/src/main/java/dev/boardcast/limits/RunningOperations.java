package dev.boardcast.limits;

import java.util.Map;

import dev.boardcast.common.ErrorCode;
import dev.boardcast.common.RefusedRequest;
import dev.boardcast.ratelimit.InFlight;
import graphql.ExecutionResult;
import graphql.GraphqlErrorBuilder;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import reactor.core.publisher.Mono;

import org.springframework.core.Ordered;
import org.springframework.graphql.server.WebGraphQlInterceptor;
import org.springframework.graphql.server.WebGraphQlRequest;
import org.springframework.graphql.server.WebGraphQlResponse;
import org.springframework.graphql.server.WebSocketGraphQlRequest;
import org.springframework.graphql.support.DefaultExecutionGraphQlResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;

/**
 * At most {@code boardcast.limits.max-running} GraphQL operations execute at once on this
 * replica, over HTTP and graphql-ws alike (a subscription until its stream is set up);
 * the others wait their turn in the order they came, holding nothing but their parsed
 * request. With rate limiting on, the users' own lines (see {@code ratelimit.InFlight})
 * come first, so no user fills this one.
 * <p>
 * Why: graphql-java keeps an operation's whole execution state until it completes, about
 * 3 MB for a board of 250 tasks. With 32 board reads interleaved on one core (the read
 * benchmark), about 100 MB stayed live: every young collection copied it and promoted it
 * into full collections, 5 ms of garbage collection per read and pauses of 80 to 250 ms.
 * A few running at a time finish sooner each, in the same total time, and leave little to
 * copy. Eight per core leave room for operations waiting on the database.
 * <p>
 * An operation that found no place within {@code boardcast.limits.max-wait} (500 ms) is
 * refused (and, once that has happened, a newcomer the line would most likely not serve
 * in time is refused at once: {@link InFlight}), so a replica past its capacity serves
 * what it can and refuses the rest at once instead of queueing without end: over HTTP 503
 * with {@code Retry-After: 1} (a load balancer or client tries again, perhaps on another
 * replica), over graphql-ws an {@code error} message; both say {@code RATE_LIMITED} with
 * {@code reason: OVERLOADED}. With 300 board reads/s offered open-loop to one core
 * (bench/tools/overload.sh): no bound, a p50 of 26 s and a 4 GB heap; 1 s, p99 1.3 s, but
 * requests that lived that long were promoted, young collections took 100 ms and the
 * replica answered 103/s; 500 ms, p99 0.63 s, 144 MB of heap, 178/s answered. A second,
 * short bound on a standing line (Facebook's adaptive queue timeout) was tried and
 * dropped: a closed loop of 32 clients keeps 24 waiting on one core for good, so it
 * refused most of their reads.
 */
final class RunningOperations implements WebGraphQlInterceptor, Ordered {

	/** One line for every operation of the replica. */
	private static final String EVERYONE = "";

	private static final String BUSY = "The server is busy: retry in 1 s";

	private final InFlight line;

	private final Counter refused;

	/**
	 * @param maxRunning operations running at once
	 * @param waits how long an operation may wait for a place
	 * @param meters where the refusals are counted
	 */
	RunningOperations(int maxRunning, InFlight.Waits waits, MeterRegistry meters) {
		// how many wait is bounded by the connections the server holds, each request of
		// which a user's own line has admitted already; how long, by the waits
		this.line = new InFlight(maxRunning, Integer.MAX_VALUE, waits);
		this.refused = Counter.builder("boardcast.overload.refused")
			.description("Operations refused (503, RATE_LIMITED, reason OVERLOADED): no running place within "
					+ "boardcast.limits.max-wait, or none likely in time while the replica is past its capacity")
			.register(meters);
	}

	/**
	 * After {@link RequestRules} and the graphql-ws guard (which puts an operation in its
	 * user's line), before any other interceptor does work.
	 */
	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE + 2;
	}

	@Override
	public Mono<WebGraphQlResponse> intercept(WebGraphQlRequest request, Chain chain) {
		return this.line.run(EVERYONE, () -> chain.next(request), () -> {
			this.refused.increment();
			return busy(request);
		});
	}

	private static Mono<WebGraphQlResponse> busy(WebGraphQlRequest request) {
		if (!(request instanceof WebSocketGraphQlRequest)) {
			// before any response is written: the HTTP error handler answers it
			return Mono.error(new RefusedRequest(HttpStatus.SERVICE_UNAVAILABLE, ErrorCode.RATE_LIMITED, BUSY)
				.extension("reason", "OVERLOADED")
				.extension("retryAfterSeconds", 1)
				.header(HttpHeaders.RETRY_AFTER, "1"));
		}
		// no data: RequestRules sends it as the graphql-ws error message of an operation
		// that never started
		ExecutionResult result = ExecutionResult.newExecutionResult()
			.addError(GraphqlErrorBuilder.newError()
				.message(BUSY)
				.extensions(
						Map.of("code", ErrorCode.RATE_LIMITED.name(), "reason", "OVERLOADED", "retryAfterSeconds", 1))
				.build())
			.build();
		return Mono
			.just(new WebGraphQlResponse(new DefaultExecutionGraphQlResponse(request.toExecutionInput(), result)));
	}

}
