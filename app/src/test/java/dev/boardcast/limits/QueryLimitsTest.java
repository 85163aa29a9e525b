package dev.boardcast.limits;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import dev.boardcast.support.Api;
import dev.boardcast.support.BoardcastTest;
import dev.boardcast.support.Fixtures;
import dev.boardcast.support.WsClient;
import graphql.ExecutionInput;
import graphql.ParseAndValidate;
import graphql.ParseAndValidateResult;
import graphql.execution.preparsed.PreparsedDocumentEntry;
import graphql.introspection.IntrospectionQueryBuilder;
import graphql.parser.Parser;
import graphql.parser.ParserEnvironment;
import graphql.parser.ParserOptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.io.ClassPathResource;
import org.springframework.http.MediaType;
import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every limit of {@code boardcast.limits} refuses a document just over it, with
 * QUERY_TOO_COMPLEX naming the limit, before anything runs; documents at the limit, the
 * web client's heaviest documents and the README's examples pass with the defaults.
 */
@BoardcastTest
class QueryLimitsTest {

	static final Limits DEFAULTS = new Limits(10, 15, 10, 20, 2000, 65536, 500_000, DataSize.ofKilobytes(512), 0,
			Duration.ofSeconds(1));

	/**
	 * Objects per level of {@link #costly}: labels, then the task's board and its labels.
	 */
	static final String COSTLY = """
			query($id: ID!, $n: Int) { board(id: $id) { columns { tasks(first: $n) {
			  nodes { labels { id } board { labels { id } } } } } } }""";

	@LocalServerPort
	int port;

	Api api;

	Api.Client alice;

	String board;

	String column;

	@BeforeEach
	void setUp() {
		this.api = new Api(this.port);
		this.alice = this.api.newUser("limits");
		this.board = Fixtures.board(this.alice, "Limits");
		this.column = Fixtures.column(this.alice, this.board, "Todo");
		String label = Fixtures.label(this.alice, this.board, "bug", "#ff0000");
		Fixtures.task(this.alice, Map.of("columnId", this.column, "title", "Labelled", "assigneeId", this.alice.id(),
				"labelIds", List.of(label)));
	}

	static String read(String path) {
		try {
			return new ClassPathResource(path).getContentAsString(StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * The document as Apollo Client sends it: {@code __typename} added to every selection
	 * but the operation's own.
	 */
	static String withTypename(String document) {
		StringBuilder result = new StringBuilder();
		for (String line : document.split("\n")) {
			String text = line.strip();
			boolean operation = text.startsWith("query") || text.startsWith("subscription")
					|| text.startsWith("mutation");
			result.append(line).append((text.endsWith("{") && !operation) ? " __typename" : "").append('\n');
		}
		return result.toString();
	}

	/** POST /graphql as {@code user}; the response body. */
	@SuppressWarnings("unchecked")
	Map<String, Object> post(String document, Map<String, Object> variables) {
		Map<String, Object> body = new HashMap<>();
		body.put("query", document);
		body.put("variables", variables);
		return this.api.client()
			.post()
			.uri("/graphql")
			.header("Authorization", this.alice.bearer())
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(body)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(Map.class)
			.returnResult()
			.getResponseBody();
	}

	Map<String, Object> post(String document) {
		return post(document, Map.of("id", this.board));
	}

	/** The refusal's extensions, after checking it is the only error and nothing ran. */
	@SuppressWarnings("unchecked")
	static Map<String, Object> refusal(Map<String, Object> response) {
		assertThat(response).doesNotContainKey("data");
		List<Map<String, Object>> errors = (List<Map<String, Object>>) response.get("errors");
		assertThat(errors).hasSize(1);
		Map<String, Object> extensions = (Map<String, Object>) errors.get(0).get("extensions");
		assertThat(extensions).containsEntry("code", "QUERY_TOO_COMPLEX");
		Limit limit = Stream.of(Limit.values())
			.filter((candidate) -> candidate.key().equals(extensions.get("limit")))
			.findFirst()
			.orElseThrow();
		assertThat((String) errors.get(0).get("message")).startsWith("Query too complex: ")
			.contains(limit.key(), limit.environmentVariable());
		return extensions;
	}

	static void accepted(Map<String, Object> response) {
		assertThat(response).as("response %s", response).doesNotContainKey("errors").containsKey("data");
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

	// ---- what must pass

	@Test
	void webClientBoardViewPassesTheDefaultLimits() {
		String boardView = read("graphql-test/webBoardView.graphql");
		for (String document : List.of(boardView, withTypename(boardView))) {
			this.alice.graphql()
				.document(document)
				.variable("id", this.board)
				.execute()
				.path("board.columns[0].tasks.nodes[0].labels[0].name")
				.entity(String.class)
				.isEqualTo("bug");
		}
	}

	@Test
	void webClientBoardChangedPassesTheDefaultLimits() {
		String boardChanged = read("graphql-test/webBoardChanged.graphql");
		try (WsClient ws = WsClient.connect(this.port).init(this.alice.token())) {
			String after = latestCursor();
			ws.subscribe("plain", boardChanged, vars(after));
			ws.subscribe("typename", withTypename(boardChanged), vars(after));
			Fixtures.task(this.alice, this.column, "Seen live");
			for (int i = 0; i < 2; i++) {
				Map<String, Object> message = ws.next();
				assertThat(message).as("message %s", message).containsEntry("type", "next");
				assertThat(payload(message)).doesNotContainKey("errors");
			}
		}
	}

	@Test
	void readmeGraphiqlExamplesPassTheDefaultLimits() {
		List<String> blocks = readmeGraphqlBlocks();
		String session = blocks.stream().filter((block) -> block.contains("createBoard")).findFirst().orElseThrow();
		String subscription = blocks.stream()
			.filter((block) -> block.startsWith("subscription"))
			.findFirst()
			.orElseThrow()
			.strip();
		Map<String, String> ids = new LinkedHashMap<>();
		for (String operation : operations(session)) {
			String document = operation;
			for (Map.Entry<String, String> id : ids.entrySet()) {
				document = document.replace(id.getKey(), id.getValue());
			}
			Map<String, Object> response = post(document, Map.of());
			accepted(response);
			@SuppressWarnings("unchecked")
			Map<String, Object> data = (Map<String, Object>) response.get("data");
			if (data.get("createBoard") instanceof Map<?, ?> created) {
				ids.put("<board id>", (String) ((Map<?, ?>) created.get("board")).get("id"));
			}
			if (data.get("createColumn") instanceof Map<?, ?> created) {
				String id = (String) ((Map<?, ?>) created.get("column")).get("id");
				ids.put(document.contains("\"Todo\"") ? "<todo id>" : "<done id>", id);
			}
			if (data.get("createTask") instanceof Map<?, ?> created) {
				ids.put("<task id>", (String) ((Map<?, ?>) created.get("task")).get("id"));
			}
		}
		assertThat(ids).containsOnlyKeys("<board id>", "<todo id>", "<done id>", "<task id>");
		try (WsClient ws = WsClient.connect(this.port).init(this.alice.token())) {
			ws.subscribe("readme", subscription.replace("<board id>", ids.get("<board id>")), Map.of());
			// the subscription starts live, when the server has registered it: write
			// until it sees one
			Map<String, Object> message = null;
			for (int i = 0; i < 20 && message == null; i++) {
				Fixtures.column(this.alice, ids.get("<board id>"), "Column " + i);
				message = ws.poll(Duration.ofMillis(500));
			}
			assertThat(message).isNotNull().containsEntry("type", "next");
			assertThat(payload(message)).doesNotContainKey("errors");
		}
	}

	/** The README's ```graphql blocks. */
	static List<String> readmeGraphqlBlocks() {
		try {
			String readme = Files.readString(Path.of("..", "README.md"));
			Matcher blocks = Pattern.compile("```graphql\n(.*?)```", Pattern.DOTALL).matcher(readme);
			List<String> result = new ArrayList<>();
			while (blocks.find()) {
				result.add(blocks.group(1));
			}
			return result;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** Operations in a block, each starting with {@code mutation} or {@code query}. */
	static List<String> operations(String block) {
		List<String> operations = new ArrayList<>();
		for (String line : block.split("\n")) {
			if (line.startsWith("mutation") || line.startsWith("query")) {
				operations.add(line);
			}
			else if (!line.isBlank()) {
				int last = operations.size() - 1;
				operations.set(last, operations.get(last) + "\n" + line);
			}
		}
		return operations;
	}

	@Test
	void introspectionIsOnInTheLocalDefault() {
		this.alice.graphql()
			.document("{ __schema { queryType { name } } __type(name: \"Task\") { name } }")
			.execute()
			.path("__schema.queryType.name")
			.entity(String.class)
			.isEqualTo("Query")
			.path("__type.name")
			.entity(String.class)
			.isEqualTo("Task");
	}

	@Test
	void graphiqlsIntrospectionQueryPassesTheDefaultLimits() {
		// as graphql-js builds it for GraphiQL, every option on and the deepest type
		// references
		String introspection = IntrospectionQueryBuilder.build(IntrospectionQueryBuilder.Options.defaultOptions()
			.descriptions(true)
			.specifiedByUrl(true)
			.isOneOf(true)
			.directiveIsRepeatable(true)
			.schemaDescription(true)
			.inputValueDeprecation(true)
			.typeRefFragmentDepth(9));
		Map<String, Object> response = post(introspection, Map.of());
		accepted(response);
		assertThat(response.toString()).contains("boardChanged", "BoardEventKind");
	}

	// ---- each limit, just over it and at it

	/**
	 * A chain of fields {@code depth} deep without lists, so only depth grows:
	 * board.tasks(first: 1).nodes.column.board..., ending in id.
	 */
	static String nested(int depth) {
		String[] cycle = { "tasks(first: 1)", "nodes", "column", "board" };
		StringBuilder document = new StringBuilder("query($id: ID!) { board(id: $id)");
		List<String> fields = new ArrayList<>();
		for (int i = 0; fields.size() < depth - 2; i++) {
			fields.add(cycle[i % cycle.length]);
		}
		// the field before the leaf must be an object, not a connection
		if (fields.get(fields.size() - 1).startsWith("tasks")) {
			fields.set(fields.size() - 1, "createdBy");
		}
		for (String field : fields) {
			document.append(" { ").append(field);
		}
		return document.append(" { id").append(" }".repeat(fields.size() + 2)).toString();
	}

	static Stream<Arguments> limits() {
		StringBuilder comment = new StringBuilder("# ");
		String small = "{ me { id } }\n";
		comment.append("x".repeat(DEFAULTS.maxCharacters() - small.length() - 3)).append('\n');
		return Stream.of(Arguments.of("maxDepth", nested(10), nested(11), 11L),
				Arguments.of("maxAliases", "{ me { " + aliases(15) + "} }", "{ me { " + aliases(16) + "} }", 16L),
				Arguments.of("maxRootFields", "{ " + "me { id } ".repeat(10) + "}",
						"{ " + "me { id } ".repeat(11) + "}", 11L),
				Arguments.of("maxDirectives", "{ me { " + "id @include(if: true) ".repeat(20) + "} }",
						"{ me { " + "id @include(if: true) ".repeat(21) + "} }", 21L),
				Arguments.of("maxTokens", "{ me { " + "id ".repeat(1990) + "} }",
						"{ me { " + "id ".repeat(2000) + "} }", null),
				Arguments.of("maxCharacters", comment + small, comment + " " + small, 65537L));
	}

	static String aliases(int count) {
		StringBuilder aliases = new StringBuilder();
		for (int i = 0; i < count; i++) {
			aliases.append("a").append(i).append(": id ");
		}
		return aliases.toString();
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("limits")
	void aDocumentJustOverALimitIsRefusedNamingIt(String limit, String atTheLimit, String overTheLimit, Long actual) {
		accepted(post(atTheLimit));
		Map<String, Object> refusal = refusal(post(overTheLimit));
		assertThat(refusal).containsEntry("limit", limit);
		if (actual != null) {
			assertThat(refusal).containsEntry("actual", actual.intValue());
		}
		else {
			assertThat(refusal).doesNotContainKey("actual");
		}
		accepted(post("{ me { handle } }"));
	}

	@Test
	void theCostMultipliesPageSizesAndResolvesVariables() {
		// 1 + 50 columns x (1 + n tasks x (1 + nodes (1 + 20 labels + board (1 + 100
		// labels))))
		Map<String, Object> refusal = refusal(post(COSTLY, Map.of("id", this.board, "n", 100)));
		assertThat(refusal).containsEntry("limit", "maxCost")
			.containsEntry("max", 500_000)
			.containsEntry("actual", 1 + 50 * (1 + 100 * 123));
		// half the page: 307,551
		accepted(post(COSTLY, Map.of("id", this.board, "n", 50)));
		// no first: the default page of 50
		accepted(post(COSTLY, Map.of("id", this.board)));
	}

	@Test
	void fragmentsCountWhereTheyAreSpread() {
		// depth through a named and an inline fragment
		String deep = """
				query($id: ID!) { board(id: $id) { ...Tasks } }
				fragment Tasks on Board { tasks(first: 1) { nodes { ... on Task { ...Deeper } } } }
				fragment Deeper on Task { column { board { tasks(first: 1) { nodes { column { board { createdBy { id } } } } } } } }
				""";
		assertThat(refusal(post(deep))).containsEntry("limit", "maxDepth").containsEntry("actual", 11);
		// eight aliases in a fragment, spread under two aliased fields: 18 aliases
		String aliased = "{ a: me { ...Eight } b: me { ...Eight } } fragment Eight on User { " + aliases(8) + "}";
		assertThat(refusal(post(aliased))).containsEntry("limit", "maxAliases").containsEntry("actual", 18);
		// the costly page inside a fragment costs the same
		String costly = """
				query($id: ID!, $n: Int) { board(id: $id) { columns { ...Page } } }
				fragment Page on Column { tasks(first: $n) { nodes { labels { id } board { labels { id } } } } }
				""";
		assertThat(refusal(post(costly, Map.of("id", this.board, "n", 100)))).containsEntry("limit", "maxCost")
			.containsEntry("actual", 1 + 50 * (1 + 100 * 123));
	}

	@Test
	void aFragmentBombIsCostedWithoutExpandingIt() {
		// 2^40 spreads of columns { id } once expanded: each fragment is costed once
		StringBuilder bomb = new StringBuilder("query($id: ID!) { board(id: $id) { ...F0a ...F0b } }\n");
		for (int i = 0; i < 40; i++) {
			String next = (i == 39) ? "columns { id }" : "...F" + (i + 1) + "a ...F" + (i + 1) + "b";
			bomb.append("fragment F").append(i).append("a on Board { ").append(next).append(" }\n");
			bomb.append("fragment F").append(i).append("b on Board { ").append(next).append(" }\n");
		}
		assertThat(refusal(post(bomb.toString()))).containsEntry("limit", "maxCost");
		accepted(post("{ me { handle } }"));
	}

	@Test
	void anOverBudgetMutationChangesNothing() {
		int seq = lastSeq();
		String mutation = """
				mutation($input: CreateColumnInput!) { createColumn(input: $input) { column { board { columns {
				  tasks(first: 100) { nodes { labels { id } board { labels { id } } } } } } } } }""";
		Map<String, Object> refusal = refusal(
				post(mutation, Map.of("input", Map.of("boardId", this.board, "name", "Never"))));
		assertThat(refusal).containsEntry("limit", "maxCost");
		assertThat(lastSeq()).isEqualTo(seq);
		this.alice.graphql()
			.document("query($id: ID!) { board(id: $id) { columns { name } } }")
			.variable("id", this.board)
			.execute()
			.path("board.columns[*].name")
			.entityList(String.class)
			.containsExactly("Todo");
	}

	@Test
	void anOverDeepSubscriptionGetsAnErrorAndTheSocketStaysUsable() {
		String deep = """
				subscription($boardId: ID!, $after: String) { boardChanged(boardId: $boardId, after: $after) {
				  task { column { board { tasks(first: 1) { nodes { column { board { tasks(first: 1) { nodes { id } } } } } } } } } } }""";
		try (WsClient ws = WsClient.connect(this.port).init(this.alice.token())) {
			String after = latestCursor();
			ws.subscribe("deep", deep, vars(after));
			Map<String, Object> error = ws.next();
			assertThat(error).containsEntry("type", "error").containsEntry("id", "deep");
			@SuppressWarnings("unchecked")
			Map<String, Object> extensions = (Map<String, Object>) ((List<Map<String, Object>>) error.get("payload"))
				.get(0)
				.get("extensions");
			assertThat(extensions).containsEntry("code", "QUERY_TOO_COMPLEX")
				.containsEntry("limit", "maxDepth")
				.containsEntry("actual", 11);
			ws.subscribe("ok", read("graphql-test/boardChanged.graphql"), vars(after));
			Fixtures.task(this.alice, this.column, "After the refusal");
			Map<String, Object> next = ws.next();
			assertThat(next).containsEntry("type", "next").containsEntry("id", "ok");
			assertThat(ws.isClosed()).isFalse();
		}
	}

	@Test
	void theChecksNeverRecurseOverFragmentChainsOrCycles() {
		Limits roomy = new Limits(10, 15, 10, 20, 1_000_000, 10_000_000, 500_000, DataSize.ofMegabytes(1), 0,
				Duration.ofSeconds(1));
		StringBuilder chain = new StringBuilder("{ me { ...F0 } }\n");
		for (int i = 0; i < 20_000; i++) {
			chain.append("fragment F").append(i).append(" on User { ").append((i < 19_999) ? "...F" + (i + 1) : "id");
			chain.append(" }\n");
		}
		assertThat(DocumentChecks.check(parse(chain.toString()), roomy)).isNull();
		String cycle = "{ me { ...A } } fragment A on User { id ...B } fragment B on User { handle ...A }";
		assertThat(DocumentChecks.check(parse(cycle), roomy)).isNull();
	}

	@Test
	void graphqlJavasOwnParseUsesOurOptionsAndValidDocumentsAreCached() {
		// above graphql-java's default of 15,000 tokens, within a raised limit
		Limits raised = new Limits(10, 15, 10, 20, 20_000, 100_000, 500_000, DataSize.ofMegabytes(1), 0,
				Duration.ofSeconds(1));
		CheckedDocuments documents = new CheckedDocuments(raised);
		String query = "{ me { " + "id ".repeat(16_000) + "} }";
		AtomicInteger parses = new AtomicInteger();
		Function<ExecutionInput, PreparsedDocumentEntry> parseAndValidate = (input) -> {
			parses.incrementAndGet();
			ParseAndValidateResult parsed = ParseAndValidate.parse(input);
			return parsed.isFailure() ? new PreparsedDocumentEntry(parsed.getSyntaxException().toInvalidSyntaxError())
					: new PreparsedDocumentEntry(parsed.getDocument());
		};
		for (int i = 0; i < 3; i++) {
			PreparsedDocumentEntry entry = documents
				.getDocumentAsync(ExecutionInput.newExecutionInput(query).build(), parseAndValidate)
				.join();
			assertThat(entry.hasErrors()).as("errors %s", entry.getErrors()).isFalse();
		}
		assertThat(parses).hasValue(1);
	}

	static graphql.language.Document parse(String document) {
		return Parser.parse(ParserEnvironment.newParserEnvironment()
			.document(document)
			.parserOptions(ParserOptions.newParserOptions().maxTokens(Integer.MAX_VALUE).build())
			.build());
	}

	String latestCursor() {
		List<String> cursors = this.alice.graphql()
			.document("query($b: ID!) { boardEvents(boardId: $b, first: 100) { nodes { cursor } } }")
			.variable("b", this.board)
			.execute()
			.path("boardEvents.nodes[*].cursor")
			.entityList(String.class)
			.get();
		return cursors.get(cursors.size() - 1);
	}

	Map<String, Object> vars(String after) {
		Map<String, Object> variables = new HashMap<>();
		variables.put("boardId", this.board);
		variables.put("after", after);
		return variables;
	}

	@SuppressWarnings("unchecked")
	static Map<String, Object> payload(Map<String, Object> message) {
		return (Map<String, Object>) message.get("payload");
	}

}
