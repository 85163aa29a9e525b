package dev.boardcast.config;

import java.util.List;

import graphql.ExecutionInput;
import graphql.execution.instrumentation.Instrumentation;
import graphql.execution.instrumentation.InstrumentationState;
import graphql.execution.instrumentation.parameters.InstrumentationExecutionParameters;
import graphql.execution.instrumentation.parameters.InstrumentationFieldFetchParameters;
import graphql.schema.DataFetcher;
import io.micrometer.observation.ObservationRegistry;
import org.dataloader.instrumentation.DataLoaderInstrumentation;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.graphql.autoconfigure.GraphQlSourceBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.graphql.observation.DataFetcherObservationConvention;
import org.springframework.graphql.observation.DataLoaderObservationConvention;
import org.springframework.graphql.observation.DefaultDataFetcherObservationConvention;
import org.springframework.graphql.observation.DefaultDataLoaderObservationConvention;
import org.springframework.graphql.observation.DefaultExecutionRequestObservationConvention;
import org.springframework.graphql.observation.ExecutionRequestObservationConvention;
import org.springframework.graphql.observation.GraphQlObservationInstrumentation;

/**
 * What graphql-java runs around each request and each field. Requests are observed as
 * Spring Boot does ({@code graphql.request} timers, traces, and
 * {@code graphql.dataloader} batches); one observation per data fetcher
 * ({@code graphql.datafetcher}), hundreds per board read, only with
 * {@code boardcast.observations.graphql-data-fetchers=true}. The chain of
 * instrumentations costs nothing per field when none of them acts there (see
 * {@link FieldLeanInstrumentation}).
 */
@Configuration(proxyBeanMethods = false)
class GraphQlInstrumentationConfig {

	@Bean
	GraphQlObservationInstrumentation graphQlObservationInstrumentation(ObjectProvider<ObservationRegistry> registry,
			ObjectProvider<ExecutionRequestObservationConvention> requests,
			ObjectProvider<DataFetcherObservationConvention> dataFetchers,
			ObjectProvider<DataLoaderObservationConvention> dataLoaders,
			@Value("${boardcast.observations.graphql-data-fetchers:false}") boolean observeDataFetchers) {
		return new RequestObservations(registry.getIfAvailable(() -> ObservationRegistry.NOOP),
				requests.getIfAvailable(DefaultExecutionRequestObservationConvention::new),
				dataFetchers.getIfAvailable(DefaultDataFetcherObservationConvention::new),
				dataLoaders.getIfAvailable(DefaultDataLoaderObservationConvention::new), observeDataFetchers);
	}

	@Bean
	SubscriptionEventRelease subscriptionEventRelease() {
		return new SubscriptionEventRelease();
	}

	/**
	 * Applied after Spring for GraphQL set its chain of the same instrumentation beans,
	 * in the same order.
	 */
	@Bean
	GraphQlSourceBuilderCustomizer fieldLeanInstrumentation(ObjectProvider<Instrumentation> instrumentations) {
		return (builder) -> builder.configureGraphQl((graphQl) -> {
			List<Instrumentation> chain = instrumentations.orderedStream().toList();
			if (!chain.isEmpty()) {
				graphQl.instrumentation(new FieldLeanInstrumentation(chain,
						(instrumentation) -> instrumentation instanceof RequestObservations observations
								&& !observations.dataFetchers));
			}
		});
	}

	static final class RequestObservations extends GraphQlObservationInstrumentation {

		private final boolean dataFetchers;

		RequestObservations(ObservationRegistry registry, ExecutionRequestObservationConvention requests,
				DataFetcherObservationConvention dataFetchers, DataLoaderObservationConvention dataLoaders,
				boolean observeDataFetchers) {
			super(registry, requests, dataFetchers, dataLoaders);
			this.dataFetchers = observeDataFetchers;
		}

		@Override
		public DataFetcher<?> instrumentDataFetcher(DataFetcher<?> dataFetcher,
				InstrumentationFieldFetchParameters parameters, InstrumentationState state) {
			return this.dataFetchers ? super.instrumentDataFetcher(dataFetcher, parameters, state) : dataFetcher;
		}

		/**
		 * Spring for GraphQL observes DataLoaders by replacing the request's registry
		 * with an instrumented copy; a registry that makes its DataLoaders on demand must
		 * stay one, instrumented the same way.
		 */
		@Override
		public ExecutionInput instrumentExecutionInput(ExecutionInput input,
				InstrumentationExecutionParameters parameters, InstrumentationState state) {
			ExecutionInput observed = super.instrumentExecutionInput(input, parameters, state);
			if (observed != input && input.getDataLoaderRegistry() instanceof OnDemandDataLoaderRegistry onDemand) {
				DataLoaderInstrumentation instrumentation = observed.getDataLoaderRegistry().getInstrumentation();
				return observed
					.transform((builder) -> builder.dataLoaderRegistry(onDemand.instrumented(instrumentation)));
			}
			return observed;
		}

	}

}
