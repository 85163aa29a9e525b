package dev.boardcast.limits;

import dev.boardcast.common.ErrorCode;
import dev.boardcast.common.RefusedRequest;
import dev.boardcast.ratelimit.InFlight;
import io.micrometer.core.instrument.MeterRegistry;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.graphql.autoconfigure.GraphQlSourceBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.graphql.server.WebGraphQlHandler;
import org.springframework.graphql.server.webflux.GraphQlHttpHandler;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.RequestPredicate;
import org.springframework.web.reactive.function.server.RequestPredicates;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * What Boardcast refuses before doing any work: request bodies over the size limit,
 * anything but a JSON POST on /graphql, documents over the static limits (before
 * validation), operations over the cost budget (before execution), subscriptions outside
 * graphql-ws, and introspection where it is off.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(Limits.class)
class LimitsConfig {

	private static final MediaType GRAPHQL_RESPONSE = MediaType.parseMediaType("application/graphql-response+json");

	@Bean
	GraphQlSourceBuilderCustomizer checkedDocuments(Limits limits) {
		CheckedDocuments documents = new CheckedDocuments(limits);
		return (builder) -> builder.configureGraphQl((graphQl) -> graphQl.preparsedDocumentProvider(documents));
	}

	@Bean
	OperationChecks operationChecks(Limits limits) {
		return new OperationChecks(limits);
	}

	@Bean
	RequestBodyLimit requestBodyLimit(Limits limits) {
		return new RequestBodyLimit(limits);
	}

	@Bean
	RunningOperations runningOperations(Limits limits, MeterRegistry meters) {
		return new RunningOperations(limits.runningOperations(), new InFlight.Waits(limits.maxWait()), meters);
	}

	@Bean
	RequestRules requestRules(@Value("${boardcast.introspection.enabled:true}") boolean introspection) {
		return new RequestRules(introspection);
	}

	@Bean
	GraphQlHttpHandler graphQlHttpHandler(WebGraphQlHandler handler, JsonMapper json) {
		return new StrictGraphQlHttpHandler(handler, json);
	}

	/**
	 * Ahead of Spring Boot's GraphQL routes (order 0), whose refusals have no body: only
	 * a JSON POST reaches the GraphQL handler. Form, text and multipart posts, which a
	 * browser sends cross-site without asking, are 415; GET never executes anything
	 * (WebSocket upgrades on the same path are mapped before any route).
	 */
	@Bean
	@Order(-1)
	RouterFunction<ServerResponse> graphQlHttpRefusals(@Value("${spring.graphql.http.path:/graphql}") String path) {
		RequestPredicate json = RequestPredicates.contentType(MediaType.APPLICATION_JSON);
		RequestPredicate answerable = RequestPredicates.accept(MediaType.APPLICATION_JSON, GRAPHQL_RESPONSE,
				MediaType.TEXT_EVENT_STREAM);
		return RouterFunctions.route()
			.POST(path, json.negate(), LimitsConfig::unsupportedMediaType)
			.POST(path, answerable.negate(), LimitsConfig::notAcceptable)
			.route(RequestPredicates.path(path).and(RequestPredicates.method(HttpMethod.POST).negate()),
					LimitsConfig::methodNotAllowed)
			.build();
	}

	private static Mono<ServerResponse> unsupportedMediaType(ServerRequest request) {
		String contentType = request.headers().firstHeader(HttpHeaders.CONTENT_TYPE);
		String shown = (contentType == null) ? "(none)"
				: (contentType.length() > 100) ? contentType.substring(0, 100) + "..." : contentType;
		return Mono.error(new RefusedRequest(HttpStatus.UNSUPPORTED_MEDIA_TYPE, ErrorCode.BAD_USER_INPUT,
				"Unsupported content type " + shown
						+ ": send the GraphQL request as JSON, Content-Type: application/json")
			.header(HttpHeaders.ACCEPT, MediaType.APPLICATION_JSON_VALUE));
	}

	private static Mono<ServerResponse> notAcceptable(ServerRequest request) {
		return Mono.error(new RefusedRequest(HttpStatus.NOT_ACCEPTABLE, ErrorCode.BAD_USER_INPUT,
				"Not acceptable: /graphql answers application/graphql-response+json or application/json"));
	}

	private static Mono<ServerResponse> methodNotAllowed(ServerRequest request) {
		return Mono.error(new RefusedRequest(HttpStatus.METHOD_NOT_ALLOWED, ErrorCode.BAD_USER_INPUT,
				request.method() + " /graphql executes nothing: send operations as POST with Content-Type: "
						+ "application/json (subscriptions over WebSocket, graphql-ws)")
			.header(HttpHeaders.ALLOW, HttpMethod.POST.name()));
	}

}
