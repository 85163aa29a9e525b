package dev.boardcast.api;

import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import dev.boardcast.api.AuthorizationCases.Actor;
import dev.boardcast.api.AuthorizationCases.ObjectCase;
import dev.boardcast.api.AuthorizationCases.Operation;
import dev.boardcast.api.AuthorizationCases.Role;
import dev.boardcast.api.AuthorizationCases.RoleCase;
import dev.boardcast.api.AuthorizationCases.Scene;
import dev.boardcast.events.SubscriptionTestAccess;
import dev.boardcast.support.Api;
import dev.boardcast.support.BoardcastTest;
import dev.boardcast.support.Fixtures;
import dev.boardcast.support.WsClient;
import graphql.language.FieldDefinition;
import graphql.language.InputObjectTypeDefinition;
import graphql.language.InputValueDefinition;
import graphql.language.ListType;
import graphql.language.NonNullType;
import graphql.language.ObjectTypeDefinition;
import graphql.language.Type;
import graphql.language.TypeName;
import graphql.schema.idl.SchemaParser;
import graphql.schema.idl.TypeDefinitionRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.http.MediaType;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Authorization of every operation the schema has, checked on the server: each root field
 * as OWNER, EDITOR, VIEWER, non-member and anonymous (queries and mutations over HTTP,
 * subscriptions over WebSocket), and each id an operation takes pointing into another
 * board, over HTTP and WebSocket. A refusal has the right code and changes nothing on
 * either board. Two tests walk the schema (the SDL files the app loads) and fail when a
 * root field has no role case, or an id argument or input field has no object-level case,
 * in {@link AuthorizationCases}.
 */
@BoardcastTest
class AuthorizationTest {

	@LocalServerPort
	int port;

	Api api;

	/** A scene nothing is allowed to change: for reads, subscriptions and refusals. */
	static Scene shared;

	static int sharedPort;

	@BeforeEach
	void setUp() {
		this.api = new Api(this.port);
	}

	// ---- the schema ----

	static final TypeDefinitionRegistry SCHEMA = schema();

	static final Map<String, Operation> ROOTS = Map.of("Query", Operation.QUERY, "Mutation", Operation.MUTATION,
			"Subscription", Operation.SUBSCRIPTION);

	/** The SDL exactly as the app loads it: every graphql/*.graphqls on the classpath. */
	static TypeDefinitionRegistry schema() {
		TypeDefinitionRegistry registry = new TypeDefinitionRegistry();
		try {
			Resource[] files = new PathMatchingResourcePatternResolver()
				.getResources("classpath*:graphql/**/*.graphqls");
			assertThat(files).as("schema files").isNotEmpty();
			for (Resource file : files) {
				try (Reader reader = new InputStreamReader(file.getInputStream(), StandardCharsets.UTF_8)) {
					registry.merge(new SchemaParser().parse(reader));
				}
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return registry;
	}

	/** Every field of Query, Mutation and Subscription, {@code extend type} included. */
	static Map<String, FieldDefinition> rootFields(Operation operation) {
		String type = ROOTS.entrySet()
			.stream()
			.filter((root) -> root.getValue() == operation)
			.findFirst()
			.orElseThrow()
			.getKey();
		Map<String, FieldDefinition> fields = new LinkedHashMap<>();
		SCHEMA.getType(type, ObjectTypeDefinition.class)
			.ifPresent((definition) -> definition.getFieldDefinitions().forEach((f) -> fields.put(f.getName(), f)));
		SCHEMA.objectTypeExtensions()
			.getOrDefault(type, List.of())
			.forEach((extension) -> extension.getFieldDefinitions().forEach((f) -> fields.put(f.getName(), f)));
		return fields;
	}

	static Map<String, Operation> allRootFields() {
		Map<String, Operation> all = new LinkedHashMap<>();
		for (Operation operation : Operation.values()) {
			rootFields(operation).keySet().forEach((field) -> all.put(field, operation));
		}
		return all;
	}

	static Operation operationOf(String field) {
		Operation operation = allRootFields().get(field);
		assertThat(operation).as("root field " + field).isNotNull();
		return operation;
	}

	static String typeName(Type<?> type) {
		if (type instanceof NonNullType nonNull) {
			return typeName(nonNull.getType());
		}
		if (type instanceof ListType list) {
			return typeName(list.getType());
		}
		return ((TypeName) type).getName();
	}

	static String printed(Type<?> type) {
		if (type instanceof NonNullType nonNull) {
			return printed(nonNull.getType()) + "!";
		}
		if (type instanceof ListType list) {
			return "[" + printed(list.getType()) + "]";
		}
		return ((TypeName) type).getName();
	}

	static List<InputValueDefinition> inputFields(String inputType) {
		List<InputValueDefinition> fields = new ArrayList<>();
		SCHEMA.getType(inputType, InputObjectTypeDefinition.class)
			.ifPresent((definition) -> fields.addAll(definition.getInputValueDefinitions()));
		SCHEMA.inputObjectTypeExtensions()
			.getOrDefault(inputType, List.of())
			.forEach((extension) -> fields.addAll(extension.getInputValueDefinitions()));
		return fields;
	}

	static boolean looksLikeAnId(InputValueDefinition value) {
		String name = value.getName();
		return typeName(value.getType()).equals("ID") || name.endsWith("Id") || name.endsWith("Ids");
	}

	/**
	 * Every argument and input field (at any depth) of a root field that is an id, as
	 * {@code field.argument[.inputField]}.
	 */
	static Set<String> idPaths() {
		Set<String> paths = new TreeSet<>();
		for (Operation operation : Operation.values()) {
			rootFields(operation).forEach((name, field) -> field.getInputValueDefinitions()
				.forEach((argument) -> collectIds(name + "." + argument.getName(), argument, paths, new TreeSet<>())));
		}
		return paths;
	}

	private static void collectIds(String path, InputValueDefinition value, Set<String> paths, Set<String> seen) {
		String type = typeName(value.getType());
		if (SCHEMA.getType(type, InputObjectTypeDefinition.class).isPresent()) {
			if (seen.add(type)) {
				inputFields(type).forEach((field) -> collectIds(path + "." + field.getName(), field, paths, seen));
				seen.remove(type);
			}
			return;
		}
		if (looksLikeAnId(value) && !AuthorizationCases.NOT_OBJECT_IDS.containsKey(value.getName())) {
			paths.add(path);
		}
	}

	@Test
	void everyRootFieldOfTheSchemaHasARoleCase() {
		Set<String> cased = AuthorizationCases.ROLE_CASES.stream().map(RoleCase::field).collect(Collectors.toSet());
		assertThat(AuthorizationCases.ROLE_CASES).extracting(RoleCase::field).doesNotHaveDuplicates();
		assertThat(allRootFields().keySet()).as("root fields without a role case in AuthorizationCases.ROLE_CASES")
			.allMatch(cased::contains, "has a role case");
		assertThat(cased).as("role cases of fields the schema does not have")
			.allMatch(allRootFields()::containsKey, "is a root field");
		assertThat(allRootFields()).as("the schema walk finds queries, mutations and subscriptions")
			.containsKeys("me", "board", "createTask", "updateMe", "boardChanged", "taskChanged");
	}

	@Test
	void everyIdTheSchemaTakesHasAnObjectLevelCase() {
		Set<String> ids = idPaths();
		Set<String> cased = AuthorizationCases.OBJECT_CASES.stream()
			.map(ObjectCase::path)
			.collect(Collectors.toCollection(TreeSet::new));
		Set<String> missing = new TreeSet<>(ids);
		missing.removeAll(cased);
		assertThat(missing)
			.as("ids without an object-level case in AuthorizationCases.OBJECT_CASES "
					+ "(or a reason in NOT_OBJECT_IDS)")
			.isEmpty();
		Set<String> stale = new TreeSet<>(cased);
		stale.removeAll(ids);
		assertThat(stale).as("object-level cases of ids the schema does not have").isEmpty();
		assertThat(ids).as("the schema walk finds ids in arguments and in input objects")
			.contains("board.id", "taskChanged.taskId", "createTask.input.labelIds", "deleteColumn.input.moveTasksTo");
	}

	// ---- scenes ----

	Scene scene(boolean withBoardB) {
		Api.Client owner = this.api.newUser("owner");
		Api.Client editor = this.api.newUser("editor");
		Api.Client viewer = this.api.newUser("viewer");
		Api.Client stranger = this.api.newUser("stranger");
		String board = Fixtures.board(owner, "A");
		Fixtures.member(owner, board, editor, "EDITOR");
		Fixtures.member(owner, board, viewer, "VIEWER");
		String column = Fixtures.column(owner, board, "Todo");
		String otherColumn = Fixtures.column(owner, board, "Done");
		String task = Fixtures.task(owner, column, "Task");
		String otherTask = withBoardB ? Fixtures.task(owner, column, "Other task") : null;
		String label = Fixtures.label(owner, board, "bug", "#ff0000");
		String comment = comment(editor, task, "mine");
		if (!withBoardB) {
			return new Scene(owner, editor, viewer, stranger, null, board, column, otherColumn, task, otherTask, label,
					comment, null, null, null, null, null);
		}
		Api.Client outsider = this.api.newUser("outsider");
		String boardB = Fixtures.board(owner, "B");
		Fixtures.member(owner, boardB, outsider, "EDITOR");
		String columnB = Fixtures.column(owner, boardB, "Todo B");
		String taskB = Fixtures.task(owner, columnB, "Task B");
		String labelB = Fixtures.label(owner, boardB, "bug", "#00ff00");
		String commentB = comment(outsider, taskB, "theirs");
		return new Scene(owner, editor, viewer, stranger, outsider, board, column, otherColumn, task, otherTask, label,
				comment, boardB, columnB, taskB, labelB, commentB);
	}

	static String comment(Api.Client author, String task, String body) {
		return author.graphql()
			.document("mutation($i: AddCommentInput!) { addComment(input: $i) { comment { id } } }")
			.variable("i", Map.of("taskId", task, "body", body))
			.execute()
			.path("addComment.comment.id")
			.entity(String.class)
			.get();
	}

	/** Both boards, built once: every case run on it must leave it as it is. */
	Scene sharedScene() {
		if (shared == null || sharedPort != this.port) {
			shared = scene(true);
			sharedPort = this.port;
		}
		return shared;
	}

	static int lastSeq(Scene scene, String board) {
		return scene.owner()
			.graphql()
			.document("query($id: ID!) { board(id: $id) { lastSeq } }")
			.variable("id", board)
			.execute()
			.path("board.lastSeq")
			.entity(Integer.class)
			.get();
	}

	// ---- transports ----

	/** {@code selection} as a whole document, its variables declared from the schema. */
	static String document(String field, String selection) {
		Operation operation = operationOf(field);
		FieldDefinition definition = rootFields(operation).get(field);
		List<String> declarations = new ArrayList<>();
		Map<String, String> variables = Map.of("i", "input", "id", "id", "b", "boardId", "t", "taskId", "after",
				"after");
		variables.forEach((variable, argument) -> {
			if (selection.matches(".*\\$" + variable + "\\b.*")) {
				InputValueDefinition value = definition.getInputValueDefinitions()
					.stream()
					.filter((candidate) -> candidate.getName().equals(argument))
					.findFirst()
					.orElseThrow(() -> new IllegalArgumentException(field + " has no argument " + argument));
				declarations.add("$" + variable + ": " + printed(value.getType()));
			}
		});
		String keyword = operation.name().toLowerCase(java.util.Locale.ROOT);
		return keyword + (declarations.isEmpty() ? "" : "(" + String.join(", ", declarations) + ")") + " { " + selection
				+ " }";
	}

	@SuppressWarnings("unchecked")
	Map<String, Object> overHttp(Api.Client client, String document, Map<String, Object> variables) {
		return this.api.client()
			.post()
			.uri("/graphql")
			.header("Authorization", client.bearer())
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("query", document, "variables", variables))
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(Map.class)
			.returnResult()
			.getResponseBody();
	}

	/**
	 * The first result of {@code document} over graphql-ws; for a query or mutation, the
	 * server then completes the operation.
	 */
	@SuppressWarnings("unchecked")
	Map<String, Object> overWebSocket(Api.Client client, String document, Map<String, Object> variables) {
		try (WsClient socket = WsClient.connect(this.port).init(client.token())) {
			socket.subscribe("1", document, variables);
			Map<String, Object> message = socket.next();
			if ("error".equals(message.get("type"))) {
				return Map.of("errors", message.get("payload"));
			}
			assertThat(message).containsEntry("type", "next");
			if (!document.startsWith("subscription")) {
				assertThat(socket.next()).containsEntry("type", "complete");
			}
			return (Map<String, Object>) message.get("payload");
		}
	}

	@SuppressWarnings("unchecked")
	static List<Map<String, Object>> errors(Map<String, Object> result) {
		Object errors = result.get("errors");
		return (errors != null) ? (List<Map<String, Object>>) errors : List.of();
	}

	@SuppressWarnings("unchecked")
	static Object data(Map<String, Object> result, String field) {
		Map<String, Object> data = (Map<String, Object>) result.get("data");
		return (data != null) ? data.get(field) : null;
	}

	/**
	 * A single error with {@code code} (naming {@code field} when not null), and no data.
	 */
	@SuppressWarnings("unchecked")
	static void assertRefused(Map<String, Object> result, String field, String code, String errorField) {
		assertThat(errors(result)).as("errors of " + result).singleElement().satisfies((error) -> {
			Map<String, Object> extensions = (Map<String, Object>) error.get("extensions");
			assertThat(extensions).containsEntry("code", code);
			if (errorField != null) {
				assertThat(extensions).containsEntry("field", errorField);
			}
		});
		assertThat(data(result, field)).as("data of a refused " + field).isNull();
	}

	// ---- role cases ----

	static Stream<Arguments> roleCases() {
		List<Arguments> arguments = new ArrayList<>();
		for (RoleCase c : AuthorizationCases.ROLE_CASES) {
			for (Role role : Role.values()) {
				arguments.add(Arguments.of(c.field(), role));
			}
		}
		return arguments.stream();
	}

	@ParameterizedTest(name = "{0} as {1}")
	@MethodSource("roleCases")
	void everyRootFieldIsAllowedOnlyForItsRoles(String field, Role role) {
		RoleCase c = AuthorizationCases.ROLE_CASES.stream()
			.filter((x) -> x.field().equals(field))
			.findFirst()
			.orElseThrow();
		Operation operation = operationOf(field);
		boolean changes = operation == Operation.MUTATION && c.allowed().contains(role);
		Scene scene = changes ? scene(false) : sharedScene();
		Map<String, Object> variables = new HashMap<>(c.variables().apply(scene));
		String document = document(field, c.selection());
		int seqBefore = lastSeq(scene, scene.board());
		if (operation == Operation.SUBSCRIPTION) {
			subscriptionRoleCase(c, role, scene, document, variables);
		}
		else if (role == Role.ANONYMOUS) {
			this.api.client()
				.post()
				.uri("/graphql")
				.contentType(MediaType.APPLICATION_JSON)
				.bodyValue(Map.of("query", document, "variables", variables))
				.exchange()
				.expectStatus()
				.isUnauthorized()
				.expectHeader()
				.valueEquals("WWW-Authenticate", "Bearer")
				.expectBody()
				.isEmpty();
		}
		else {
			Map<String, Object> result = overHttp(scene.as(role), document, variables);
			if (c.allowed().contains(role)) {
				assertThat(errors(result)).as("errors of " + field + " as " + role).isEmpty();
				assertThat(data(result, field)).isNotNull();
				if (field.equals("boards")) {
					assertThat(data(result, field).toString()).as("a member's boards list board A, others' do not")
						.matches((text) -> text.contains(scene.board()) == Role.MEMBERS.contains(role));
				}
				if (c.seqDelta() != null) {
					assertThat(lastSeq(scene, scene.board())).isEqualTo(seqBefore + c.seqDelta());
				}
				return;
			}
			assertRefused(result, field, (role == Role.NON_MEMBER) ? "NOT_FOUND" : "FORBIDDEN", null);
		}
		if (!c.allowed().contains(role)) {
			assertThat(lastSeq(scene, scene.board())).as("board A unchanged").isEqualTo(seqBefore);
		}
	}

	@SuppressWarnings("unchecked")
	private void subscriptionRoleCase(RoleCase c, Role role, Scene scene, String document,
			Map<String, Object> variables) {
		if (role == Role.ANONYMOUS) {
			try (WsClient socket = WsClient.connect(this.port)) {
				socket.send(Map.of("type", "connection_init", "payload", Map.of()));
				assertThat(socket.closeCode(Duration.ofSeconds(10))).isEqualTo(4401);
				assertThat(socket.pending()).isZero();
			}
			return;
		}
		variables.put("after", SubscriptionTestAccess.latestCursor(scene.owner(), scene.board()));
		try (WsClient socket = WsClient.connect(this.port).init(scene.as(role).token())) {
			socket.subscribe("1", document, variables);
			if (!c.allowed().contains(role)) {
				Map<String, Object> message = socket.next();
				assertThat(message).containsEntry("type", "error");
				assertRefused(Map.of("errors", message.get("payload")), c.field(), "NOT_FOUND", "boardId");
				assertThat(socket.poll(Duration.ofMillis(300))).isNull();
				return;
			}
			// a change on the board reaches the member
			scene.owner()
				.graphql()
				.documentName("updateTask")
				.variable("input", Map.of("taskId", scene.task(), "title", "seen by " + role))
				.execute()
				.path("updateTask.task.id")
				.hasValue();
			Map<String, Object> message = socket.next();
			assertThat(message).containsEntry("type", "next");
			Map<String, Object> event = (Map<String, Object>) data((Map<String, Object>) message.get("payload"),
					c.field());
			assertThat(event).containsEntry("kind", "TASK_UPDATED");
		}
	}

	// ---- object-level cases ----

	enum Transport {

		HTTP, WEBSOCKET

	}

	static Stream<Arguments> objectCases() {
		List<Arguments> arguments = new ArrayList<>();
		for (ObjectCase c : AuthorizationCases.OBJECT_CASES) {
			if (operationOf(c.field()) != Operation.SUBSCRIPTION) {
				arguments.add(Arguments.of(c, Transport.HTTP));
			}
			arguments.add(Arguments.of(c, Transport.WEBSOCKET));
		}
		return arguments.stream();
	}

	@ParameterizedTest(name = "{0} over {1}")
	@MethodSource("objectCases")
	void anIdFromAnotherBoardIsRefusedAndChangesNothing(ObjectCase c, Transport transport) {
		Scene scene = sharedScene();
		Api.Client actor = switch (c.actor()) {
			case OWNER -> scene.owner();
			case VIEWER -> scene.viewer();
			case OUTSIDER -> scene.outsider();
		};
		int seqA = lastSeq(scene, scene.board());
		int seqB = lastSeq(scene, scene.boardB());
		String document = document(c.field(), c.selection());
		Map<String, Object> variables = c.variables().apply(scene);
		Map<String, Object> result = (transport == Transport.HTTP) ? overHttp(actor, document, variables)
				: overWebSocket(actor, document, variables);
		assertRefused(result, c.field(), c.code(), c.errorField());
		assertThat(lastSeq(scene, scene.board())).as("board A unchanged").isEqualTo(seqA);
		assertThat(lastSeq(scene, scene.boardB())).as("board B unchanged").isEqualTo(seqB);
	}

	@Test
	void theActorsOfTheObjectLevelCasesAreWhoTheySayTheyAre() {
		Scene scene = sharedScene();
		// the OWNER is OWNER of both boards, the outsider EDITOR of B and no member of A
		for (String board : List.of(scene.board(), scene.boardB())) {
			scene.owner()
				.graphql()
				.document("query($id: ID!) { board(id: $id) { myRole } }")
				.variable("id", board)
				.execute()
				.path("board.myRole")
				.entity(String.class)
				.isEqualTo("OWNER");
		}
		scene.outsider()
			.graphql()
			.document("query($id: ID!) { board(id: $id) { myRole } }")
			.variable("id", scene.boardB())
			.execute()
			.path("board.myRole")
			.entity(String.class)
			.isEqualTo("EDITOR");
		scene.outsider()
			.graphql()
			.document("query($id: ID!) { board(id: $id) { id } }")
			.variable("id", scene.board())
			.execute()
			.errors()
			.satisfy((errors) -> assertThat(errors).singleElement()
				.satisfies((error) -> assertThat(error.getExtensions()).containsEntry("code", "NOT_FOUND")));
	}

}
