package dev.boardcast.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import graphql.ErrorClassification;
import graphql.ErrorType;
import graphql.execution.SubscriptionExecutionStrategy;
import graphql.GraphQLError;
import graphql.GraphqlErrorBuilder;
import graphql.scalars.ExtendedScalars;
import dev.boardcast.task.TaskCardFields;
import reactor.core.publisher.Mono;

import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.graphql.autoconfigure.GraphQlSourceBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.graphql.ResponseError;
import org.springframework.graphql.execution.BatchLoaderRegistry;
import org.springframework.graphql.execution.DataFetcherExceptionResolver;
import org.springframework.graphql.execution.RuntimeWiringConfigurer;
import org.springframework.graphql.server.WebGraphQlInterceptor;
import org.springframework.graphql.server.WebGraphQlRequest;
import org.springframework.graphql.server.WebGraphQlResponse;
import org.springframework.graphql.server.WebGraphQlInterceptor.Chain;

/**
 * Scalars of the schema and the error contract for errors raised before any controller
 * runs.
 */
@Configuration(proxyBeanMethods = false)
class GraphQlConfig {

	@Bean
	RuntimeWiringConfigurer scalars() {
		return (wiring) -> wiring.scalar(ExtendedScalars.DateTime).scalar(ExtendedScalars.Date);
	}

	/**
	 * The assignee and labels of a column's tasks come with the page when the selection
	 * shows them (see {@link TaskCardFields}); the fields no controller answers read
	 * their object directly (see {@link DirectPropertyFetching}).
	 */
	@Bean
	GraphQlSourceBuilderCustomizer taskCardFields() {
		return (builder) -> builder
			.typeVisitors(List.of(TaskCardFields.typeVisitor(), DirectPropertyFetching.typeVisitor()));
	}

	/**
	 * A subscription event's selection runs once for all the subscribers who asked the
	 * same (see {@link SharedEventExecution}), with the exception handling Spring for
	 * GraphQL gives every other strategy (the same resolvers, in the same order).
	 */
	@Bean
	GraphQlSourceBuilderCustomizer sharedEventExecution(ObjectProvider<DataFetcherExceptionResolver> resolvers,
			MeterRegistry meters) {
		return (builder) -> builder
			.configureGraphQl((graphQl) -> graphQl.subscriptionExecutionStrategy(new SharedEventExecution(
					DataFetcherExceptionResolver.createExceptionHandler(resolvers.orderedStream().toList()), meters)));
	}

	/**
	 * The controllers register their batch loaders here; a request makes a DataLoader
	 * only when a field uses it (see {@link OnDemandBatchLoaderRegistry}).
	 */
	@Bean
	BatchLoaderRegistry batchLoaderRegistry() {
		return new OnDemandBatchLoaderRegistry();
	}

	/**
	 * Each request starts with an empty registry of its own that makes DataLoaders on
	 * demand; Spring for GraphQL then points it at the registrations instead of filling
	 * it.
	 */
	@Bean
	WebGraphQlInterceptor onDemandDataLoaders() {
		return (request, chain) -> {
			request.configureExecutionInput(
					(input, builder) -> builder.dataLoaderRegistry(new OnDemandDataLoaderRegistry()).build());
			return chain.next(request);
		};
	}

	/**
	 * graphql-java may deliver the events of a subscription out of order when their
	 * fields resolve asynchronously (batch loaders); Boardcast promises seq order, so
	 * keep it.
	 */
	@Bean
	WebGraphQlInterceptor orderedSubscriptionEvents() {
		return (request, chain) -> {
			request.configureExecutionInput((input, builder) -> builder
				.graphQLContext(Map.of(SubscriptionExecutionStrategy.KEEP_SUBSCRIPTION_EVENTS_ORDERED, true))
				.build());
			return chain.next(request);
		};
	}

	/**
	 * Parse and validation errors come from graphql-java without an
	 * {@code extensions.code}; give them BAD_USER_INPUT so every error a client can act
	 * on carries a code.
	 */
	@Bean
	WebGraphQlInterceptor errorCodes() {
		return new WebGraphQlInterceptor() {
			@Override
			public Mono<WebGraphQlResponse> intercept(WebGraphQlRequest request, Chain chain) {
				return chain.next(request).map(this::withCodes);
			}

			private WebGraphQlResponse withCodes(WebGraphQlResponse response) {
				if (response.getErrors().isEmpty()) {
					return response;
				}
				return response.transform((builder) -> builder.errors(withCodes(response.getErrors())));
			}

			private List<GraphQLError> withCodes(List<ResponseError> errors) {
				List<GraphQLError> result = new ArrayList<>();
				for (ResponseError error : errors) {
					if (explainedByAnother(error, errors)) {
						continue;
					}
					Map<String, Object> extensions = new LinkedHashMap<>(error.getExtensions());
					extensions.putIfAbsent("code", codeFor(error.getErrorType()));
					result.add(GraphqlErrorBuilder.newError()
						.message(error.getMessage())
						.locations(error.getLocations())
						.path((error.getParsedPath().isEmpty()) ? null : error.getParsedPath())
						.errorType(error.getErrorType())
						.extensions(extensions)
						.build());
				}
				return result;
			}

			/**
			 * A null that bubbled up from a field whose own error is already reported
			 * says nothing new; graphql-java adds one such error per non-null level.
			 */
			private boolean explainedByAnother(ResponseError error, List<ResponseError> errors) {
				if (error.getErrorType() != ErrorType.NullValueInNonNullableField) {
					return false;
				}
				return errors.stream()
					.anyMatch((other) -> other != error && other.getErrorType() != ErrorType.NullValueInNonNullableField
							&& startsWith(error.getParsedPath(), other.getParsedPath()));
			}

			private boolean startsWith(List<Object> path, List<Object> prefix) {
				return !prefix.isEmpty() && path.size() >= prefix.size()
						&& path.subList(0, prefix.size()).equals(prefix);
			}

			private String codeFor(ErrorClassification type) {
				if (type == ErrorType.InvalidSyntax || type == ErrorType.ValidationError
						|| type == org.springframework.graphql.execution.ErrorType.BAD_REQUEST) {
					return "BAD_USER_INPUT";
				}
				// graphql-java's own introspection guards (see dev.boardcast.limits)
				if ("IntrospectionDisabled".equals(String.valueOf(type))) {
					return "FORBIDDEN";
				}
				if ("BadFaithIntrospection".equals(String.valueOf(type))) {
					return "QUERY_TOO_COMPLEX";
				}
				return "INTERNAL";
			}
		};
	}

}
