package dev.boardcast.events;

import graphql.ExecutionResult;
import graphql.execution.instrumentation.Instrumentation;
import graphql.execution.instrumentation.InstrumentationContext;
import graphql.execution.instrumentation.InstrumentationState;
import graphql.execution.instrumentation.SimpleInstrumentationContext;
import graphql.execution.instrumentation.parameters.InstrumentationFieldParameters;
import org.dataloader.DataLoader;

import org.springframework.stereotype.Component;

/**
 * Data loaders cache per request, and a subscription is one long request: without this,
 * the nested fields of every event after the first (a column's tasks, a task's comment
 * count) would come from the first event's cache. Each event starts with empty caches;
 * within one event, batching and caching work as for a query.
 */
@Component
class FreshLoadsPerEvent implements Instrumentation {

	@Override
	public InstrumentationContext<ExecutionResult> beginSubscribedFieldEvent(InstrumentationFieldParameters parameters,
			InstrumentationState state) {
		parameters.getExecutionContext().getDataLoaderRegistry().getDataLoaders().forEach(DataLoader::clearAll);
		return SimpleInstrumentationContext.noOp();
	}

}
