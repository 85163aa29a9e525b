package dev.boardcast.limits;

import dev.boardcast.ratelimit.InFlight;
import reactor.core.publisher.Mono;

import org.springframework.core.Ordered;
import org.springframework.graphql.server.WebGraphQlInterceptor;
import org.springframework.graphql.server.WebGraphQlRequest;
import org.springframework.graphql.server.WebGraphQlResponse;

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
 */
final class RunningOperations implements WebGraphQlInterceptor, Ordered {

	/** One line for every operation of the replica. */
	private static final String EVERYONE = "";

	private final InFlight line;

	RunningOperations(int maxRunning) {
		// waiting is bounded by the connections the server holds, each request of which a
		// user's own line has admitted already
		this.line = new InFlight(maxRunning, Integer.MAX_VALUE);
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
		return this.line.run(EVERYONE, () -> chain.next(request), Mono::empty);
	}

}
