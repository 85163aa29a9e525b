package dev.boardcast.config;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import graphql.ExecutionResult;
import graphql.execution.DataLoaderDispatchStrategy;
import graphql.execution.ExecutionContext;
import graphql.execution.ExecutionStrategyParameters;
import graphql.execution.FieldValueInfo;
import graphql.execution.incremental.AlternativeCallContext;
import graphql.execution.instrumentation.ExecutionStrategyInstrumentationContext;
import graphql.execution.instrumentation.Instrumentation;
import graphql.execution.instrumentation.InstrumentationContext;
import graphql.execution.instrumentation.InstrumentationState;
import graphql.execution.instrumentation.SimpleInstrumentationContext;
import graphql.execution.instrumentation.dataloader.ExhaustedDataLoaderDispatchStrategy;
import graphql.execution.instrumentation.dataloader.PerLevelDataLoaderDispatchStrategy;
import graphql.execution.instrumentation.parameters.InstrumentationExecutionStrategyParameters;
import graphql.execution.instrumentation.parameters.InstrumentationFieldParameters;
import graphql.language.OperationDefinition;
import graphql.schema.DataFetcher;
import graphql.schema.DataFetchingEnvironment;

/**
 * Lets graphql-java forget each subscription event once its result is complete.
 * graphql-java 25.0 keeps its DataLoader dispatch state of every event a subscription
 * delivers (a call stack of three maps, about 600 bytes) until the subscription ends
 * (graphql-java#4314; fixed in 26.1 by #4384, not a release Spring for GraphQL 2.0 runs
 * on): a board watched for a day at one event a second held 86,400 of them, per
 * subscriber. This wraps the request's dispatch strategy and, when an event's result
 * completes, removes that event's entry as the fix does; nothing else changes. Remove it
 * with the upgrade (the test {@code SubscriptionEventReleaseTest} says when).
 */
final class SubscriptionEventRelease implements Instrumentation {

	@Override
	public ExecutionStrategyInstrumentationContext beginExecutionStrategy(
			InstrumentationExecutionStrategyParameters parameters, InstrumentationState state) {
		// graphql-java sets the strategy just before it runs the operation's execution
		// strategy, which calls this first: every event's call goes through the wrapper
		ExecutionContext context = parameters.getExecutionContext();
		if (context.getOperationDefinition().getOperation() == OperationDefinition.Operation.SUBSCRIPTION) {
			Releasing.wrap(context);
		}
		return ExecutionStrategyInstrumentationContext.NOOP;
	}

	@Override
	public InstrumentationContext<ExecutionResult> beginSubscribedFieldEvent(InstrumentationFieldParameters parameters,
			InstrumentationState state) {
		if (!(parameters.getExecutionContext().getDataLoaderDispatcherStrategy() instanceof Releasing releasing)) {
			return SimpleInstrumentationContext.noOp();
		}
		return new InstrumentationContext<>() {

			private AlternativeCallContext event;

			@Override
			public void onDispatched() {
				// called in the same event's step right after its completion was
				// dispatched
				this.event = releasing.takeDispatched();
			}

			@Override
			public void onCompleted(ExecutionResult result, Throwable error) {
				releasing.release(this.event);
			}
		};
	}

	/** The request's own strategy, plus forgetting each event once it is complete. */
	static final class Releasing implements DataLoaderDispatchStrategy {

		private final DataLoaderDispatchStrategy delegate;

		private final Map<?, ?> events;

		/** The event whose completion was dispatched last, until its context takes it. */
		private volatile AlternativeCallContext dispatched;

		private Releasing(DataLoaderDispatchStrategy delegate, Map<?, ?> events) {
			this.delegate = delegate;
			this.events = events;
		}

		static void wrap(ExecutionContext context) {
			DataLoaderDispatchStrategy strategy = context.getDataLoaderDispatcherStrategy();
			Map<?, ?> events = EventMaps.of(strategy);
			if (events != null) {
				context.setDataLoaderDispatcherStrategy(new Releasing(strategy, events));
			}
		}

		DataLoaderDispatchStrategy delegate() {
			return this.delegate;
		}

		AlternativeCallContext takeDispatched() {
			AlternativeCallContext event = this.dispatched;
			this.dispatched = null;
			return event;
		}

		void release(AlternativeCallContext event) {
			if (event != null) {
				this.events.remove(event);
			}
		}

		@Override
		public void newSubscriptionExecution(AlternativeCallContext context) {
			this.delegate.newSubscriptionExecution(context);
		}

		@Override
		public void subscriptionEventCompletionDone(AlternativeCallContext context) {
			this.delegate.subscriptionEventCompletionDone(context);
			this.dispatched = context;
		}

		@Override
		public void executionStrategy(ExecutionContext context, ExecutionStrategyParameters parameters,
				int fieldCount) {
			this.delegate.executionStrategy(context, parameters, fieldCount);
		}

		@Override
		public void executionSerialStrategy(ExecutionContext context, ExecutionStrategyParameters parameters) {
			this.delegate.executionSerialStrategy(context, parameters);
		}

		@Override
		public void executionStrategyOnFieldValuesInfo(List<FieldValueInfo> infos,
				ExecutionStrategyParameters parameters) {
			this.delegate.executionStrategyOnFieldValuesInfo(infos, parameters);
		}

		@Override
		public void executionStrategyOnFieldValuesException(Throwable error, ExecutionStrategyParameters parameters) {
			this.delegate.executionStrategyOnFieldValuesException(error, parameters);
		}

		@Override
		public void executeObject(ExecutionContext context, ExecutionStrategyParameters parameters, int fieldCount) {
			this.delegate.executeObject(context, parameters, fieldCount);
		}

		@Override
		public void executeObjectOnFieldValuesInfo(List<FieldValueInfo> infos, ExecutionStrategyParameters parameters) {
			this.delegate.executeObjectOnFieldValuesInfo(infos, parameters);
		}

		@Override
		public void deferredOnFieldValue(String resultKey, FieldValueInfo info, Throwable error,
				ExecutionStrategyParameters parameters) {
			this.delegate.deferredOnFieldValue(resultKey, info, error, parameters);
		}

		@Override
		public void executeObjectOnFieldValuesException(Throwable error, ExecutionStrategyParameters parameters) {
			this.delegate.executeObjectOnFieldValuesException(error, parameters);
		}

		@Override
		public void fieldFetched(ExecutionContext context, ExecutionStrategyParameters parameters,
				DataFetcher<?> dataFetcher, Object fetchedValue, Supplier<DataFetchingEnvironment> environment) {
			this.delegate.fieldFetched(context, parameters, dataFetcher, fetchedValue, environment);
		}

		@Override
		public void finishedFetching(ExecutionContext context, ExecutionStrategyParameters parameters) {
			this.delegate.finishedFetching(context, parameters);
		}

		@Override
		public void deferFieldFetched(ExecutionStrategyParameters parameters) {
			this.delegate.deferFieldFetched(parameters);
		}

		@Override
		public void startComplete(ExecutionStrategyParameters parameters) {
			this.delegate.startComplete(parameters);
		}

		@Override
		public void stopComplete(ExecutionStrategyParameters parameters) {
			this.delegate.stopComplete(parameters);
		}

	}

	/**
	 * The per-event map of graphql-java's two dispatch strategies (a private field of
	 * each); none for any other strategy, which is then left alone.
	 */
	static final class EventMaps {

		private static final VarHandle PER_LEVEL = field(PerLevelDataLoaderDispatchStrategy.class);

		private static final VarHandle EXHAUSTED = field(ExhaustedDataLoaderDispatchStrategy.class);

		private EventMaps() {
		}

		static Map<?, ?> of(DataLoaderDispatchStrategy strategy) {
			VarHandle handle = (strategy instanceof PerLevelDataLoaderDispatchStrategy) ? PER_LEVEL
					: (strategy instanceof ExhaustedDataLoaderDispatchStrategy) ? EXHAUSTED : null;
			return (handle != null) ? (Map<?, ?>) handle.get(strategy) : null;
		}

		private static VarHandle field(Class<?> type) {
			try {
				return MethodHandles.privateLookupIn(type, MethodHandles.lookup())
					.findVarHandle(type, "alternativeCallContextMap", Map.class);
			}
			catch (ReflectiveOperationException | RuntimeException ex) {
				// a graphql-java without the field: nothing to release (see the test)
				return null;
			}
		}

	}

}
