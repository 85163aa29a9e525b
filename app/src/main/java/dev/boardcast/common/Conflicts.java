package dev.boardcast.common;

import java.util.function.Function;

import graphql.GraphqlErrorBuilder;
import graphql.execution.DataFetcherResult;
import graphql.schema.DataFetchingEnvironment;
import reactor.core.publisher.Mono;

/**
 * Answers a stale {@code expectedVersion} with both the CONFLICT error and the entity's
 * current state in the payload, so the client can recover from one response.
 */
public final class Conflicts {

	private Conflicts() {
	}

	@SuppressWarnings("unchecked")
	public static <E, P> Mono<DataFetcherResult<P>> withCurrent(Mono<P> result, Function<E, P> payload,
			DataFetchingEnvironment env) {
		return result.map((value) -> DataFetcherResult.<P>newResult().data(value).build())
			.onErrorResume(ApiException.class, (ex) -> {
				if (ex.code() != ErrorCode.CONFLICT || ex.current() == null) {
					return Mono.error(ex);
				}
				return Mono.just(DataFetcherResult.<P>newResult()
					.data(payload.apply((E) ex.current()))
					.error(GraphqlErrorBuilder.newError(env)
						.message(ex.getMessage())
						.extensions(ex.extensions())
						.build())
					.build());
			});
	}

	/** Fails with CONFLICT unless {@code expected} is null or equals {@code actual}. */
	public static void check(Integer expected, int actual, String what, Object current) {
		if (expected != null && expected != actual) {
			throw ApiException.conflict(what + " is at version " + actual + ", not " + expected, current);
		}
	}

}
