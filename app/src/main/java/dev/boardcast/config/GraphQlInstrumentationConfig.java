package dev.boardcast.config;

import java.util.List;
import java.util.concurrent.CompletableFuture;

import graphql.ExecutionInput;
import graphql.ExecutionResult;
import graphql.GraphQLContext;
import graphql.execution.ExecutionContext;
import graphql.execution.instrumentation.InstrumentationContext;
import graphql.execution.instrumentation.parameters.InstrumentationCreateStateParameters;
import graphql.execution.instrumentation.parameters.InstrumentationExecuteOperationParameters;
import graphql.execution.instrumentation.Instrumentation;
import graphql.execution.instrumentation.InstrumentationState;
import graphql.execution.instrumentation.parameters.InstrumentationExecutionParameters;
import graphql.execution.instrumentation.parameters.InstrumentationFieldFetchParameters;
import graphql.language.OperationDefinition;
import graphql.schema.DataFetcher;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.contextpropagation.ObservationThreadLocalAccessor;
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
		public CompletableFuture<InstrumentationState> createStateAsync(
				InstrumentationCreateStateParameters parameters) {
			return super.createStateAsync(parameters).thenApply(Observed::new);
		}

		/**
		 * A subscription's request observation times its set-up, not the hours it may
		 * last: it stops as soon as the stream is set up. Its stream must not keep it:
		 * Spring for GraphQL snapshots the GraphQL context's observation into the
		 * subscription's Reactor context when its field is fetched, and the request's
		 * state refers to it too, which kept the observation, its context (the execution
		 * input, its DataLoaders, the result) and its key values, about 1 KiB, for every
		 * open subscription. So for a subscription the observation leaves the GraphQL
		 * context before its field is fetched (that fetch, and every event after it, is
		 * not its child), and the state lets go of it once it has stopped.
		 */
		@Override
		public InstrumentationContext<ExecutionResult> beginExecution(InstrumentationExecutionParameters parameters,
				InstrumentationState state) {
			if (state instanceof Observed holder) {
				holder.parent = parameters.getGraphQLContext().get(ObservationThreadLocalAccessor.KEY);
			}
			InstrumentationContext<ExecutionResult> observation = super.beginExecution(parameters, observed(state));
			if (observation == null || !(state instanceof Observed holder)) {
				return observation;
			}
			return new InstrumentationContext<>() {

				@Override
				public void onDispatched() {
					observation.onDispatched();
				}

				@Override
				public void onCompleted(ExecutionResult result, Throwable error) {
					observation.onCompleted(result, error);
					if (holder.subscription) {
						holder.state = null;
						holder.parent = null;
					}
				}

			};
		}

		@Override
		public InstrumentationContext<ExecutionResult> beginExecuteOperation(
				InstrumentationExecuteOperationParameters parameters, InstrumentationState state) {
			InstrumentationContext<ExecutionResult> operation = super.beginExecuteOperation(parameters,
					observed(state));
			ExecutionContext execution = parameters.getExecutionContext();
			if (state instanceof Observed holder && execution.getOperationDefinition()
				.getOperation() == OperationDefinition.Operation.SUBSCRIPTION) {
				holder.subscription = true;
				GraphQLContext context = execution.getGraphQLContext();
				if (holder.parent != null) {
					context.put(ObservationThreadLocalAccessor.KEY, holder.parent);
				}
				else {
					context.delete(ObservationThreadLocalAccessor.KEY);
				}
			}
			return operation;
		}

		@Override
		public DataFetcher<?> instrumentDataFetcher(DataFetcher<?> dataFetcher,
				InstrumentationFieldFetchParameters parameters, InstrumentationState state) {
			return this.dataFetchers ? super.instrumentDataFetcher(dataFetcher, parameters, observed(state))
					: dataFetcher;
		}

		private static InstrumentationState observed(InstrumentationState state) {
			return (state instanceof Observed holder) ? holder.state : state;
		}

		/** The request's observation state, until a subscription lets go of it. */
		static final class Observed implements InstrumentationState {

			volatile InstrumentationState state;

			/** The observation that was current before this request's. */
			volatile Object parent;

			volatile boolean subscription;

			Observed(InstrumentationState state) {
				this.state = state;
			}

		}

		/**
		 * Spring for GraphQL observes DataLoaders by replacing the request's registry
		 * with an instrumented copy; a registry that makes its DataLoaders on demand must
		 * stay one, instrumented the same way.
		 */
		@Override
		public ExecutionInput instrumentExecutionInput(ExecutionInput input,
				InstrumentationExecutionParameters parameters, InstrumentationState state) {
			ExecutionInput observed = super.instrumentExecutionInput(input, parameters, observed(state));
			if (observed != input && input.getDataLoaderRegistry() instanceof OnDemandDataLoaderRegistry onDemand) {
				DataLoaderInstrumentation instrumentation = observed.getDataLoaderRegistry().getInstrumentation();
				return observed
					.transform((builder) -> builder.dataLoaderRegistry(onDemand.instrumented(instrumentation)));
			}
			return observed;
		}

	}

}
