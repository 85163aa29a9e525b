package dev.boardcast.limits;

import java.util.List;
import java.util.Map;

import dev.boardcast.common.ErrorCode;
import graphql.ErrorType;
import graphql.ExecutionResult;
import graphql.GraphqlErrorBuilder;
import graphql.execution.AbortExecutionException;
import graphql.execution.ExecutionContext;
import graphql.execution.instrumentation.InstrumentationContext;
import graphql.execution.instrumentation.InstrumentationState;
import graphql.execution.instrumentation.SimplePerformantInstrumentation;
import graphql.execution.instrumentation.parameters.InstrumentationExecuteOperationParameters;
import graphql.language.OperationDefinition.Operation;

/**
 * The checks that depend on the request, not only on the document: the cost budget
 * (variables decide page sizes) and the transport (subscriptions only over graphql-ws).
 * They run when the operation is about to execute, before any field is fetched, so a
 * refused mutation changes nothing.
 */
final class OperationChecks extends SimplePerformantInstrumentation {

	/** GraphQLContext key, true on requests that arrived over graphql-ws. */
	static final String WEBSOCKET = OperationChecks.class.getName() + ".websocket";

	private final Limits limits;

	OperationChecks(Limits limits) {
		this.limits = limits;
	}

	@Override
	public InstrumentationContext<ExecutionResult> beginExecuteOperation(
			InstrumentationExecuteOperationParameters parameters, InstrumentationState state) {
		ExecutionContext context = parameters.getExecutionContext();
		if (context.getOperationDefinition().getOperation() == Operation.SUBSCRIPTION
				&& !context.getGraphQLContext().getBoolean(WEBSOCKET, false)) {
			throw new AbortExecutionException(List.of(GraphqlErrorBuilder.newError()
				.message("Subscriptions are served over WebSocket (graphql-ws, subprotocol graphql-transport-ws) "
						+ "at /graphql, not over HTTP")
				.errorType(ErrorType.ValidationError)
				.extensions(Map.of("code", ErrorCode.BAD_USER_INPUT.name()))
				.build()));
		}
		long cost = QueryCost.of(context);
		if (cost > this.limits.maxCost()) {
			throw new AbortExecutionException(List.of(Limit.MAX_COST.error(this.limits.maxCost(), cost)));
		}
		return null;
	}

}
