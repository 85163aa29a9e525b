package dev.boardcast.common;

import java.util.Map;
import java.util.UUID;

import graphql.GraphQLError;
import graphql.GraphqlErrorBuilder;
import graphql.execution.AbortExecutionException;
import graphql.schema.DataFetchingEnvironment;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.graphql.data.method.annotation.GraphQlExceptionHandler;
import org.springframework.validation.BindException;
import org.springframework.web.bind.annotation.ControllerAdvice;

/**
 * The one place where failures become GraphQL errors. Expected failures carry their code;
 * anything else is masked as INTERNAL with an error id, and logged in full under that id.
 */
@ControllerAdvice
class GraphQlErrorHandler {

	private static final Log logger = LogFactory.getLog(GraphQlErrorHandler.class);

	@GraphQlExceptionHandler
	GraphQLError apiException(ApiException ex, DataFetchingEnvironment env) {
		return GraphqlErrorBuilder.newError(env).message(ex.getMessage()).extensions(ex.extensions()).build();
	}

	@GraphQlExceptionHandler
	GraphQLError bindException(BindException ex, DataFetchingEnvironment env) {
		String field = (ex.getFieldError() != null) ? ex.getFieldError().getField() : "input";
		return GraphqlErrorBuilder.newError(env)
			.message(field + ": invalid value")
			.extensions(Map.of("code", ErrorCode.BAD_USER_INPUT.name(), "field", field))
			.build();
	}

	/**
	 * The client went away (socket closed, operation completed) while fields were
	 * resolving.
	 */
	@GraphQlExceptionHandler
	GraphQLError cancelled(AbortExecutionException ex, DataFetchingEnvironment env) {
		return GraphqlErrorBuilder.newError(env)
			.message("Cancelled")
			.extensions(Map.of("code", ErrorCode.INTERNAL.name()))
			.build();
	}

	@GraphQlExceptionHandler
	GraphQLError unexpected(Throwable ex, DataFetchingEnvironment env) {
		String errorId = UUID.randomUUID().toString();
		logger.error("Unexpected error " + errorId + " at " + env.getExecutionStepInfo().getPath(), ex);
		// classified INTERNAL_ERROR, not graphql-java's default "DataFetchingException",
		// which reads like the name of the class that failed
		return GraphqlErrorBuilder.newError(env)
			.message("Internal error (id " + errorId + ")")
			.errorType(org.springframework.graphql.execution.ErrorType.INTERNAL_ERROR)
			.extensions(Map.of("code", ErrorCode.INTERNAL.name(), "errorId", errorId))
			.build();
	}

}
