package dev.boardcast.support;

import graphql.execution.instrumentation.Instrumentation;
import graphql.execution.instrumentation.InstrumentationState;
import graphql.execution.instrumentation.parameters.InstrumentationFieldFetchParameters;
import graphql.schema.DataFetcher;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Test-only: {@code board(id: "<BOOM>")} fails with an unexpected exception whose message
 * looks like a database error (SQL, a class name), so tests can check what the client
 * sees (a masked INTERNAL error with an id) and what the log has (the detail, under that
 * id). Only for extra app instances a test starts itself, never the shared context.
 */
@Configuration(proxyBeanMethods = false)
public class FailingField {

	/** The board id that fails. */
	public static final String BOOM = "00000000-0000-0000-0000-00000000b00e";

	/** Words of the failure that must never reach a client. */
	public static final String SECRET_DETAIL = "SELECT secret_column FROM hidden_table";

	@Bean
	Instrumentation failingBoardField() {
		return new Instrumentation() {
			@Override
			public DataFetcher<?> instrumentDataFetcher(DataFetcher<?> dataFetcher,
					InstrumentationFieldFetchParameters parameters, InstrumentationState state) {
				if (!parameters.getEnvironment().getField().getName().equals("board")) {
					return dataFetcher;
				}
				return (env) -> {
					if (BOOM.equals(env.getArgument("id"))) {
						throw new IllegalStateException("org.example.db.ExplodingDriver: " + SECRET_DETAIL);
					}
					return dataFetcher.get(env);
				};
			}
		};
	}

}
