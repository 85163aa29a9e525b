package dev.boardcast.events;

import java.util.Map;
import java.util.UUID;

import dev.boardcast.common.ApiException;
import dev.boardcast.common.ErrorCode;
import graphql.GraphQLError;
import graphql.GraphqlErrorBuilder;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.graphql.execution.SubscriptionExceptionResolverAdapter;
import org.springframework.stereotype.Component;

/**
 * Errors that end a subscription: the same codes as queries; anything unexpected is
 * masked.
 */
@Component
class SubscriptionErrors extends SubscriptionExceptionResolverAdapter {

	private static final Log logger = LogFactory.getLog(SubscriptionErrors.class);

	@Override
	protected GraphQLError resolveToSingleError(Throwable ex) {
		if (ex instanceof ApiException api) {
			return GraphqlErrorBuilder.newError().message(api.getMessage()).extensions(api.extensions()).build();
		}
		String errorId = UUID.randomUUID().toString();
		logger.error("Unexpected subscription error " + errorId, ex);
		return GraphqlErrorBuilder.newError()
			.message("Internal error (id " + errorId + ")")
			.extensions(Map.of("code", ErrorCode.INTERNAL.name(), "errorId", errorId))
			.build();
	}

}
