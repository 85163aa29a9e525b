package dev.boardcast.limits;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.boardcast.BoardcastApplication;
import dev.boardcast.support.Api;
import dev.boardcast.support.WsClient;
import graphql.ExecutionResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Sinks;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.graphql.server.WebGraphQlRequest;
import org.springframework.graphql.server.WebGraphQlResponse;
import org.springframework.graphql.support.DefaultExecutionGraphQlResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A replica past its capacity, on a running server with one running place and a wait of
 * at most 500 ms: with the place taken, an operation that waits out the bound is refused
 * as overload, over HTTP with 503 and {@code Retry-After: 1}, over graphql-ws with an
 * {@code error} message on a socket that stays open; nothing of it runs. One whose place
 * comes in time runs.
 */
class OverloadTest {

	static ConfigurableApplicationContext app;

	static Api api;

	static WebTestClient client;

	static int port;

	/** Ends the operation that holds the replica's one place. */
	private Sinks.One<WebGraphQlResponse> holder;

	@BeforeAll
	static void start() {
		app = new SpringApplicationBuilder(BoardcastApplication.class).run("--server.port=0",
				"--spring.data.redis.url=", "--boardcast.limits.max-running=1", "--boardcast.limits.max-wait=500ms");
		port = ((WebServerApplicationContext) app).getWebServer().getPort();
		api = new Api(port);
		client = api.client();
	}

	@AfterAll
	static void stop() {
		app.close();
	}

	/** Takes the replica's one running place, as a long operation would. */
	@BeforeEach
	void hold() {
		Sinks.One<WebGraphQlResponse> sink = Sinks.one();
		WebGraphQlRequest request = new WebGraphQlRequest(URI.create("http://localhost/graphql"), new HttpHeaders(),
				null, null, Map.of(), Map.of("query", "{ me { id } }"), "holder", null);
		app.getBean(RunningOperations.class).intercept(request, (next) -> sink.asMono()).subscribe();
		this.holder = sink;
	}

	@AfterEach
	void release() {
		WebGraphQlRequest request = new WebGraphQlRequest(URI.create("http://localhost/graphql"), new HttpHeaders(),
				null, null, Map.of(), Map.of("query", "{ me { id } }"), "holder", null);
		this.holder.tryEmitValue(new WebGraphQlResponse(new DefaultExecutionGraphQlResponse(request.toExecutionInput(),
				ExecutionResult.newExecutionResult().data(Map.of()).build())));
	}

	@Test
	@SuppressWarnings({ "rawtypes", "unchecked" })
	void overHttpAnOperationThatWaitedTooLongIs503AndNothingOfItRuns() throws Exception {
		String token = token("overload_http_");
		double refusedBefore = refusedCount();
		EntityExchangeResult<Map> refused = graphql(token,
				"mutation { createBoard(input: {name: \"Never made\"}) { board { id } } }");

		assertThat(refused.getStatus().value()).isEqualTo(503);
		assertThat(refused.getResponseHeaders().getFirst("Retry-After")).isEqualTo("1");
		assertThat(refused.getResponseHeaders().getContentType().isCompatibleWith(MediaType.APPLICATION_JSON)).isTrue();
		Map<String, Object> error = ((List<Map<String, Object>>) refused.getResponseBody().get("errors")).get(0);
		assertThat(error).containsEntry("message", "The server is busy: retry in 1 s");
		assertThat((Map<String, Object>) error.get("extensions")).containsEntry("code", "RATE_LIMITED")
			.containsEntry("reason", "OVERLOADED")
			.containsEntry("retryAfterSeconds", 1);
		assertThat(refused.getResponseBody()).doesNotContainKey("data");
		assertThat(refusedCount()).as("counted for the operators").isEqualTo(refusedBefore + 1);

		// in time: the place comes back 100 ms into the wait, and the request runs
		CompletableFuture<EntityExchangeResult<Map>> waiting = CompletableFuture
			.supplyAsync(() -> graphql(token, "{ boards(first: 10) { nodes { name } } }"));
		Thread.sleep(100);
		release();
		EntityExchangeResult<Map> boards = waiting.get(10, TimeUnit.SECONDS);
		assertThat(boards.getStatus().value()).isEqualTo(200);
		assertThat(boards.getResponseBody()).doesNotContainKey("errors");
		Map<String, Object> data = (Map<String, Object>) boards.getResponseBody().get("data");
		assertThat((List<Object>) ((Map<String, Object>) data.get("boards")).get("nodes"))
			.as("the refused createBoard made no board")
			.isEmpty();
	}

	@Test
	@SuppressWarnings("unchecked")
	void overGraphqlWsItIsAnErrorMessageAndTheSocketGoesOn() {
		String token = token("overload_ws_");
		try (WsClient socket = WsClient.connect(port).init(token)) {
			socket.subscribe("refused", "{ me { handle } }", Map.of());
			Map<String, Object> message = socket.next();
			assertThat(message).containsEntry("type", "error").containsEntry("id", "refused");
			Map<String, Object> error = ((List<Map<String, Object>>) message.get("payload")).get(0);
			assertThat(error).containsEntry("message", "The server is busy: retry in 1 s");
			assertThat((Map<String, Object>) error.get("extensions")).containsEntry("code", "RATE_LIMITED")
				.containsEntry("reason", "OVERLOADED")
				.containsEntry("retryAfterSeconds", 1);

			release();
			socket.subscribe("again", "{ me { handle } }", Map.of());
			assertThat(socket.next()).containsEntry("type", "next").containsEntry("id", "again");
			assertThat(socket.next()).containsEntry("type", "complete").containsEntry("id", "again");
		}
	}

	/**
	 * boardcast_overload_refused_total on /actuator/prometheus (which runs no GraphQL).
	 */
	private static double refusedCount() {
		Matcher counter = Pattern.compile("(?m)^boardcast_overload_refused_total\\S* (\\S+)$").matcher(api.metrics());
		assertThat(counter.find()).as("boardcast_overload_refused_total is exported").isTrue();
		return Double.parseDouble(counter.group(1));
	}

	@SuppressWarnings("rawtypes")
	private static EntityExchangeResult<Map> graphql(String token, String document) {
		return client.post()
			.uri("/graphql")
			.header("Authorization", "Bearer " + token)
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("query", document))
			.exchange()
			.expectBody(Map.class)
			.returnResult();
	}

	/**
	 * A new user's token (the dev issuer runs no GraphQL, so it is served with the place
	 * taken).
	 */
	private static String token(String prefix) {
		return api.token(prefix + Long.toString(System.nanoTime() % 1_000_000, 36));
	}

}
