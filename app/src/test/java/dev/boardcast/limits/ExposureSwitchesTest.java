package dev.boardcast.limits;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import dev.boardcast.BoardcastApplication;
import dev.boardcast.support.Api;
import dev.boardcast.support.RawWebSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import reactor.core.publisher.Mono;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.PropertySourcesPropertyResolver;
import org.springframework.core.io.ClassPathResource;
import org.springframework.graphql.server.WebGraphQlInterceptor;
import org.springframework.graphql.server.WebGraphQlRequest;
import org.springframework.graphql.server.WebGraphQlResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A second application with introspection and GraphiQL off (the prod profile's defaults),
 * a CORS allow-list, and a test-only interceptor that fails on demand (a bug outside any
 * data fetcher).
 */
@ExtendWith(OutputCaptureExtension.class)
class ExposureSwitchesTest {

	static final String ALLOWED = "https://board.example.test";

	static ConfigurableApplicationContext app;

	static Api api;

	static Api.Client alice;

	@BeforeAll
	static void start() {
		app = new SpringApplicationBuilder(BoardcastApplication.class)
			.initializers((context) -> ((GenericApplicationContext) context).registerBean(FailingInterceptor.class))
			.run("--server.port=0", "--boardcast.introspection.enabled=false",
					"--spring.graphql.graphiql.enabled=false", "--boardcast.cors.allowed-origins=" + ALLOWED);
		api = new Api(((WebServerApplicationContext) app).getWebServer().getPort());
		alice = api.newUser("switches");
	}

	@AfterAll
	static void stop() {
		if (app != null) {
			app.close();
		}
	}

	/** Fails when asked to, as a bug in an interceptor would. */
	static class FailingInterceptor implements WebGraphQlInterceptor {

		@Override
		public Mono<WebGraphQlResponse> intercept(WebGraphQlRequest request, Chain chain) {
			if (request.getHeaders().containsHeader("X-Test-Fail")) {
				throw new IllegalStateException("boom in dev.boardcast.FailingInterceptor: SELECT * FROM users");
			}
			return chain.next(request);
		}

	}

	@Test
	void withIntrospectionOffSchemaAndTypeAreForbiddenButTypenameWorks() {
		for (String document : List.of("{ __schema { queryType { name } } }", "{ __type(name: \"Task\") { name } }",
				"{ me { handle } ... on Query { __schema { types { name } } } }")) {
			alice.graphql()
				.document(document)
				.execute()
				.errors()
				.satisfy((errors) -> assertThat(errors).singleElement().satisfies((error) -> {
					assertThat(error.getExtensions()).containsEntry("code", "FORBIDDEN");
					assertThat(error.getMessage()).containsIgnoringCase("introspection");
				}));
		}
		alice.graphql()
			.document("{ __typename me { __typename handle } }")
			.execute()
			.path("__typename")
			.entity(String.class)
			.isEqualTo("Query")
			.path("me.__typename")
			.entity(String.class)
			.isEqualTo("User");
	}

	@Test
	void withGraphiqlOffThereIsNoPlayground() {
		api.client().get().uri("/graphiql").exchange().expectStatus().isNotFound();
	}

	@Test
	void anAllowedOriginGetsCorsHeadersAndAnotherOriginsPreflightIsRefused() {
		api.client()
			.options()
			.uri("/graphql")
			.header(HttpHeaders.ORIGIN, ALLOWED)
			.header(HttpHeaders.ACCESS_CONTROL_REQUEST_METHOD, "POST")
			.header(HttpHeaders.ACCESS_CONTROL_REQUEST_HEADERS, "authorization,content-type")
			.exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.valueEquals(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN, ALLOWED)
			.expectHeader()
			.value(HttpHeaders.ACCESS_CONTROL_ALLOW_METHODS, (methods) -> assertThat(methods).contains("POST"));
		api.client()
			.post()
			.uri("/graphql")
			.header(HttpHeaders.ORIGIN, ALLOWED)
			.header(HttpHeaders.AUTHORIZATION, alice.bearer())
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("query", "{ me { handle } }"))
			.exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.valueEquals(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN, ALLOWED);
		api.client()
			.options()
			.uri("/graphql")
			.header(HttpHeaders.ORIGIN, "https://evil.example.test")
			.header(HttpHeaders.ACCESS_CONTROL_REQUEST_METHOD, "POST")
			.exchange()
			.expectStatus()
			.isForbidden()
			.expectHeader()
			.doesNotExist(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN);
		api.client()
			.post()
			.uri("/graphql")
			.header(HttpHeaders.ORIGIN, "https://evil.example.test")
			.header(HttpHeaders.AUTHORIZATION, alice.bearer())
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("query", "{ me { handle } }"))
			.exchange()
			.expectStatus()
			.isForbidden()
			.expectHeader()
			.doesNotExist(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN);
	}

	@Test
	void aWebSocketFromAnotherOriginIsRefusedAndFromAnAllowedOneOpens() {
		int port = ((WebServerApplicationContext) app).getWebServer().getPort();
		assertThat(RawWebSocket.upgradeResponse(port, Map.of(HttpHeaders.ORIGIN, "https://evil.example.test")))
			.startsWith("HTTP/1.1 403");
		assertThat(RawWebSocket.upgradeResponse(port, Map.of(HttpHeaders.ORIGIN, ALLOWED))).startsWith("HTTP/1.1 101");
		// a client that is not a browser sends no origin
		assertThat(RawWebSocket.upgradeResponse(port, Map.of())).startsWith("HTTP/1.1 101");
	}

	@Test
	@SuppressWarnings("unchecked")
	void aBugOutsideTheDataFetchersIsMaskedAsInternalWithAnErrorIdInTheLog(CapturedOutput output) {
		Map<String, Object> body = api.client()
			.post()
			.uri("/graphql")
			.header(HttpHeaders.AUTHORIZATION, alice.bearer())
			.header("X-Test-Fail", "true")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("query", "{ me { handle } }"))
			.exchange()
			.expectStatus()
			.isEqualTo(500)
			.expectBody(Map.class)
			.returnResult()
			.getResponseBody();
		Map<String, Object> error = ((List<Map<String, Object>>) body.get("errors")).get(0);
		Map<String, Object> extensions = (Map<String, Object>) error.get("extensions");
		assertThat(extensions).containsEntry("code", "INTERNAL").containsKey("errorId");
		assertThat(body.toString()).doesNotContain("boom", "IllegalStateException", "dev.boardcast", "SELECT");
		String errorId = (String) extensions.get("errorId");
		assertThat((String) error.get("message")).contains(errorId);
		assertThat(output).contains("Unexpected error " + errorId).contains("boom");
	}

	@Test
	void theProdProfileTurnsIntrospectionAndGraphiqlOffByDefault() throws IOException {
		MutablePropertySources sources = new MutablePropertySources();
		for (PropertySource<?> source : new YamlPropertySourceLoader().load("prod",
				new ClassPathResource("application-prod.yml"))) {
			sources.addLast(source);
		}
		PropertySourcesPropertyResolver prod = new PropertySourcesPropertyResolver(sources);
		prod.setIgnoreUnresolvableNestedPlaceholders(true);
		assertThat(prod.getProperty("boardcast.introspection.enabled", Boolean.class)).isFalse();
		assertThat(prod.getProperty("spring.graphql.graphiql.enabled", Boolean.class)).isFalse();
	}

}
