package dev.boardcast.api;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;

import dev.boardcast.support.Api;
import dev.boardcast.support.BoardcastTest;
import dev.boardcast.support.Fixtures;
import dev.boardcast.support.WsClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import reactor.core.publisher.Flux;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.codec.DecoderHttpMessageReader;
import org.springframework.http.codec.ServerCodecConfigurer;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.util.UriBuilder;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What an attacker can throw at POST /graphql (and the other endpoints) gets a clear
 * error with the right status and a GraphQL-style JSON body, changes nothing, and leaves
 * the server answering the next request. The limits themselves, one by one, are in
 * limits/QueryLimitsTest; page sizes in BadInputTest.
 */
@BoardcastTest
class HostileHttpTest {

	static final MediaType GRAPHQL_RESPONSE = MediaType.parseMediaType("application/graphql-response+json");

	static final JsonMapper json = JsonMapper.builder().build();

	@LocalServerPort
	int port;

	Api api;

	Api.Client alice;

	String board;

	int seqBefore;

	@BeforeEach
	void setUp() {
		this.api = new Api(this.port);
		this.alice = this.api.newUser("hostile");
		this.board = Fixtures.board(this.alice, "Target");
		this.seqBefore = lastSeq();
	}

	/** Whatever came before: nothing changed, and the server answers a normal query. */
	@AfterEach
	void nothingChangedAndTheServerIsHealthy() {
		assertThat(lastSeq()).isEqualTo(this.seqBefore);
		this.alice.graphql()
			.document("{ me { handle } }")
			.execute()
			.path("me.handle")
			.entity(String.class)
			.isEqualTo(this.alice.handle());
	}

	int lastSeq() {
		return this.alice.graphql()
			.document("query($id: ID!) { board(id: $id) { lastSeq } }")
			.variable("id", this.board)
			.execute()
			.path("board.lastSeq")
			.entity(Integer.class)
			.get();
	}

	/** A mutation that would change the board: it must never run. */
	String mutation() {
		return "mutation { createColumn(input: {boardId: \"" + this.board + "\", name: \"Never\"}) { column { id } } }";
	}

	record Answer(int status, HttpHeaders headers, Map<String, Object> body) {

		/** The first error, after checking every error is clean and has the same code. */
		@SuppressWarnings("unchecked")
		Map<String, Object> error() {
			assertThat(this.body).as("body").doesNotContainKey("data");
			List<Map<String, Object>> errors = (List<Map<String, Object>>) this.body.get("errors");
			assertThat(errors).isNotEmpty().allSatisfy((error) -> {
				assertThat((String) error.get("message")).isNotBlank()
					.doesNotContain("Exception", "java.", "org.", "tools.jackson", "\tat ");
				assertThat(error.get("extensions")).isEqualTo(errors.get(0).get("extensions"));
			});
			return errors.get(0);
		}

		@SuppressWarnings("unchecked")
		String code() {
			return (String) ((Map<String, Object>) error().get("extensions")).get("code");
		}

		@SuppressWarnings("unchecked")
		Object extension(String key) {
			return ((Map<String, Object>) error().get("extensions")).get(key);
		}

		String message() {
			return (String) error().get("message");
		}

	}

	@SuppressWarnings("unchecked")
	Answer send(HttpMethod method, Function<UriBuilder, URI> uri, MediaType contentType,
			Function<WebTestClient.RequestBodySpec, WebTestClient.RequestHeadersSpec<?>> body) {
		WebTestClient.RequestBodySpec request = this.api.client()
			.method(method)
			.uri(uri)
			.header("Authorization", this.alice.bearer())
			.accept(GRAPHQL_RESPONSE, MediaType.APPLICATION_JSON);
		if (contentType != null) {
			request.contentType(contentType);
		}
		EntityExchangeResult<byte[]> result = body.apply(request).exchange().expectBody(byte[].class).returnResult();
		byte[] bytes = result.getResponseBody();
		Map<String, Object> parsed = (bytes == null || bytes.length == 0) ? Map.of() : json.readValue(bytes, Map.class);
		return new Answer(result.getStatus().value(), result.getResponseHeaders(), parsed);
	}

	Answer send(HttpMethod method, String path, MediaType contentType,
			Function<WebTestClient.RequestBodySpec, WebTestClient.RequestHeadersSpec<?>> body) {
		return send(method, (uri) -> uri.path(path).build(), contentType, body);
	}

	Answer post(MediaType contentType, String body) {
		return send(HttpMethod.POST, "/graphql", contentType,
				(request) -> request.bodyValue(body.getBytes(StandardCharsets.UTF_8)));
	}

	Answer postJson(Map<String, Object> body) {
		return send(HttpMethod.POST, "/graphql", MediaType.APPLICATION_JSON, (request) -> request.bodyValue(body));
	}

	// ---- bodies that are not one GraphQL request

	static Stream<Arguments> unreadableBodies() {
		String m = "mutation { createColumn(input: {boardId: \\\"BOARD\\\", name: \\\"Never\\\"}) { column { id } } }";
		return Stream.of(Arguments.of("not JSON", "mutation { me { id } }", "not valid JSON (line 1, column 1)"),
				Arguments.of("truncated JSON", "{\"query\": \"" + m + "\"", "not valid JSON (line 1, column"),
				Arguments.of("a JSON array (a batch)", "[{\"query\": \"" + m + "\"}]", "batching is not supported"),
				Arguments.of("a JSON string", "\"" + m + "\"", "must be a JSON object"),
				Arguments.of("variables a string", "{\"query\": \"" + m + "\", \"variables\": \"{}\"}",
						"\"variables\" must be a JSON object"),
				Arguments.of("variables a number", "{\"query\": \"" + m + "\", \"variables\": 1}",
						"\"variables\" must be a JSON object"),
				Arguments.of("variables an array", "{\"query\": \"" + m + "\", \"variables\": [1]}",
						"\"variables\" must be a JSON object"),
				Arguments.of("query a number", "{\"query\": 5}", "\"query\" must be a non-empty string"),
				Arguments.of("query an object", "{\"query\": {\"mutation\": \"" + m + "\"}}",
						"\"query\" must be a non-empty string"),
				Arguments.of("query missing", "{\"operationName\": \"x\"}", "\"query\" is missing"),
				Arguments.of("operationName a number", "{\"query\": \"" + m + "\", \"operationName\": 1}",
						"\"operationName\" must be a string"),
				Arguments.of("an empty body", "", "The request body is empty"));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("unreadableBodies")
	void aBodyThatIsNotOneGraphQlRequestIsA400ThatSaysWhatIsWrong(String name, String body, String message) {
		Answer answer = post(MediaType.APPLICATION_JSON, body.replace("BOARD", this.board));
		assertThat(answer.status()).isEqualTo(400);
		assertThat(answer.headers().getContentType()).isEqualTo(GRAPHQL_RESPONSE);
		assertThat(answer.code()).isEqualTo("BAD_USER_INPUT");
		assertThat(answer.message()).contains(message);
	}

	// ---- cross-site requests a browser sends without asking: no JSON, no execution

	static Stream<Arguments> simpleRequests() {
		return Stream.of(Arguments.of(MediaType.TEXT_PLAIN, "{\"query\": \"QUERY\"}"),
				Arguments.of(MediaType.APPLICATION_FORM_URLENCODED, "query=QUERY"),
				Arguments.of(MediaType.parseMediaType("multipart/form-data; boundary=b"),
						"--b\r\nContent-Disposition: form-data; name=\"query\"\r\n\r\nQUERY\r\n--b--\r\n"),
				Arguments.of(MediaType.parseMediaType("application/graphql"), "QUERY"));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("simpleRequests")
	void onlyJsonPostsExecute(MediaType contentType, String body) {
		Answer answer = post(contentType, body.replace("QUERY", mutation().replace("\"", "\\\"")));
		assertThat(answer.status()).isEqualTo(415);
		assertThat(answer.headers().getAccept()).containsExactly(MediaType.APPLICATION_JSON);
		assertThat(answer.code()).isEqualTo("BAD_USER_INPUT");
		assertThat(answer.message()).contains("application/json");
	}

	@Test
	@SuppressWarnings("unchecked")
	void unparsableContentTypeOrAcceptHeadersAreA400() throws Exception {
		// WebTestClient refuses to send such headers: a plain HTTP client does
		HttpClient http = HttpClient.newHttpClient();
		for (String header : List.of("Content-Type", "Accept")) {
			HttpRequest.Builder request = HttpRequest
				.newBuilder(URI.create("http://localhost:" + this.port + "/graphql"))
				.header("Authorization", this.alice.bearer())
				.POST(HttpRequest.BodyPublishers.ofString("{\"query\": \"" + mutation().replace("\"", "\\\"") + "\"}"));
			request.header("Content-Type", header.equals("Content-Type") ? "not a / media type;;" : "application/json");
			if (header.equals("Accept")) {
				request.header("Accept", "not a / media type;;");
			}
			HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
			assertThat(response.statusCode()).as(header).isEqualTo(400);
			Map<String, Object> body = json.readValue(response.body(), Map.class);
			assertThat(new Answer(400, new HttpHeaders(), body).code()).isEqualTo("BAD_USER_INPUT");
		}
	}

	@Test
	void getNeverExecutesAnythingAndOtherMethodsAreNotAllowed() {
		for (HttpMethod method : List.of(HttpMethod.GET, HttpMethod.PUT, HttpMethod.DELETE, HttpMethod.PATCH)) {
			Answer answer = send(method, (uri) -> uri.path("/graphql").queryParam("query", "{q}").build(mutation()),
					null, (request) -> request);
			assertThat(answer.status()).as(method.name()).isEqualTo(405);
			assertThat(answer.headers().getAllow()).containsExactly(HttpMethod.POST);
			assertThat(answer.code()).isEqualTo("BAD_USER_INPUT");
			assertThat(answer.message()).contains("POST");
		}
	}

	@Test
	void theWebSocketUpgradeOnGetStillWorks() {
		try (WsClient ws = WsClient.connect(this.port).init(this.alice.token())) {
			assertThat(ws.isClosed()).isFalse();
		}
	}

	// ---- size

	static final int TEN_MB = 10 * 1024 * 1024;

	static byte[] tenMegabytes() {
		byte[] body = new byte[TEN_MB];
		byte[] start = "{\"query\": \"{ me { id } }\", \"padding\": \"".getBytes(StandardCharsets.UTF_8);
		Arrays.fill(body, (byte) 'a');
		System.arraycopy(start, 0, body, 0, start.length);
		body[TEN_MB - 2] = '"';
		body[TEN_MB - 1] = '}';
		return body;
	}

	@Test
	void aTenMegabyteBodyIs413WithOrWithoutContentLength() {
		byte[] body = tenMegabytes();
		for (String uri : List.of("/graphql", "/dev/token")) {
			Answer declared = send(HttpMethod.POST, uri, MediaType.APPLICATION_JSON,
					(request) -> request.bodyValue(body));
			Answer chunked = send(HttpMethod.POST, uri, MediaType.APPLICATION_JSON,
					(request) -> request.body(BodyInserters.fromDataBuffers(chunks(body))));
			for (Answer answer : List.of(declared, chunked)) {
				assertThat(answer.status()).as(uri).isEqualTo(413);
				assertThat(answer.code()).isEqualTo("BAD_USER_INPUT");
				assertThat(answer.extension("limit")).isEqualTo("maxBodySize");
				assertThat(answer.extension("max")).isEqualTo(512 * 1024);
				assertThat(answer.message()).contains("BOARDCAST_LIMITS_MAX_BODY_SIZE");
			}
			assertThat(declared.message()).contains("10,485,760 bytes");
		}
	}

	/** The body in 64 KiB buffers, sent without Content-Length (chunked). */
	static Flux<DataBuffer> chunks(byte[] body) {
		int size = 64 * 1024;
		return Flux.range(0, (body.length + size - 1) / size)
			.map((i) -> DefaultDataBufferFactory.sharedInstance
				.wrap(Arrays.copyOfRange(body, i * size, Math.min(body.length, (i + 1) * size))));
	}

	@Test
	void theJsonCodecsLimitIsTheBodyLimit(@Autowired ServerCodecConfigurer codecs) {
		// the body limit refuses first; the codecs must not refuse a body it admitted
		assertThat(codecs.getReaders())
			.filteredOn((reader) -> reader.getReadableMediaTypes().contains(MediaType.APPLICATION_JSON))
			.isNotEmpty()
			.allSatisfy((reader) -> assertThat(((DecoderHttpMessageReader<?>) reader).getDecoder())
				.extracting("maxInMemorySize")
				.isEqualTo(512 * 1024));
	}

	@Test
	void theLargestDescriptionFitsEvenWhenEveryCharacterIsEscaped() {
		String task = Fixtures.task(this.alice, Fixtures.column(this.alice, this.board, "Todo"), "Long");
		this.seqBefore += 2;
		// 20,000 emoji, each written as a JSON surrogate pair escape: 240,000 bytes
		String escaped = "\\ud83d\\ude00".repeat(20_000);
		String body = "{\"query\": \"mutation($input: UpdateTaskInput!) { updateTask(input: $input) "
				+ "{ task { description } } }\", \"variables\": {\"input\": {\"taskId\": \"" + task
				+ "\", \"description\": \"" + escaped + "\"}}}";
		assertThat(body.length()).isGreaterThan(240_000);
		Answer answer = post(MediaType.APPLICATION_JSON, body);
		assertThat(answer.status()).isEqualTo(200);
		@SuppressWarnings("unchecked")
		Map<String, Object> data = (Map<String, Object>) answer.body().get("data");
		assertThat(data.toString()).contains("😀".repeat(100));
		this.seqBefore++;
	}

	// ---- documents that must be refused before they run

	static Stream<Arguments> hostileDocuments() {
		String create = "createColumn(input: {boardId: \"BOARD\", name: \"Never\"})";
		StringBuilder deep = new StringBuilder("mutation { " + create + " { column");
		for (int i = 0; i < 1000; i++) {
			deep.append((i % 2 == 0) ? " { board" : " { columns");
		}
		deep.append(" { id").append(" }".repeat(1002));
		StringBuilder aliases = new StringBuilder("mutation { " + create + " { column { ");
		for (int i = 0; i < 1000; i++) {
			aliases.append("a").append(i).append(": id ");
		}
		aliases.append("} } }");
		return Stream.of(
				Arguments.of("50,000 tokens", "mutation { " + create + " { column { " + "id ".repeat(50_000) + "} } }",
						"QUERY_TOO_COMPLEX", "maxCharacters"),
				Arguments.of("1,000 levels deep", deep.toString(), "QUERY_TOO_COMPLEX", "maxDepth"),
				// 1,000 aliases are 3,000 tokens: the parser stops first (16 meet
				// maxAliases)
				Arguments.of("1,000 aliases of one field", aliases.toString(), "QUERY_TOO_COMPLEX", "maxTokens"),
				Arguments.of("10,000 directives",
						"mutation { " + create + " { column { " + "id @include(if: true) ".repeat(10_000) + "} } }",
						"QUERY_TOO_COMPLEX", "maxCharacters"),
				Arguments.of("1,000 root fields",
						"mutation($i: CreateColumnInput!) { "
								+ "createColumn(input: $i) { column { id } } ".repeat(1000) + "}",
						"QUERY_TOO_COMPLEX", "maxTokens"),
				Arguments.of("11 root fields (the same mutation)",
						"mutation($i: CreateColumnInput!) { " + "createColumn(input: $i) { column { id } } ".repeat(11)
								+ "}",
						"QUERY_TOO_COMPLEX", "maxRootFields"),
				Arguments.of("a fragment cycle",
						"mutation { " + create + " { column { ...A } } } "
								+ "fragment A on Column { id ...B } fragment B on Column { name ...A }",
						"BAD_USER_INPUT", null),
				Arguments.of("two operations without operationName",
						"mutation A { " + create + " { column { id } } } mutation B { " + create
								+ " { column { id } } }",
						"BAD_USER_INPUT", null),
				Arguments.of("a subscription over HTTP", "subscription { boardChanged(boardId: \"BOARD\") { seq } }",
						"BAD_USER_INPUT", null));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("hostileDocuments")
	void aHostileDocumentIsRefusedBeforeItRuns(String name, String document, String code, String limit) {
		Answer answer = postJson(Map.of("query", document.replace("BOARD", this.board), "variables",
				Map.of("i", Map.of("boardId", this.board, "name", "Never"))));
		assertThat(answer.status()).isEqualTo(400);
		assertThat(answer.code()).isEqualTo(code);
		assertThat(answer.extension("limit")).isEqualTo(limit);
	}

	@Test
	void anOperationNameThatDoesNotExistIsBadUserInput() {
		Answer answer = postJson(
				Map.of("query", "mutation Create { updateMe(input: {}) { user { id } } }", "operationName", "Delete"));
		assertThat(answer.status()).isEqualTo(400);
		assertThat(answer.code()).isEqualTo("BAD_USER_INPUT");
		assertThat(answer.message()).contains("Delete");
	}

	@Test
	void aSubscriptionOverHttpSaysWhereSubscriptionsAre() {
		Answer answer = postJson(
				Map.of("query", "subscription { boardChanged(boardId: \"" + this.board + "\") { seq } }"));
		assertThat(answer.message()).contains("WebSocket", "graphql-ws");
	}

	@Test
	void outOfRangePagesMultipliedByColumnsAreBadInputNotTooComplex() {
		Fixtures.column(this.alice, this.board, "Todo");
		this.seqBefore++;
		for (String first : List.of("2147483647", "-1")) {
			this.alice.graphql()
				.document("query($id: ID!) { board(id: $id) { columns { tasks(first: " + first
						+ ") { nodes { labels { id } } } } } }")
				.variable("id", this.board)
				.execute()
				.errors()
				.satisfy((errors) -> assertThat(errors).singleElement()
					.satisfies((error) -> assertThat(error.getExtensions()).containsEntry("code", "BAD_USER_INPUT")
						.containsEntry("field", "first")));
		}
	}

}
