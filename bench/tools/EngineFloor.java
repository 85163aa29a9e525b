import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

import graphql.ExecutionInput;
import graphql.ExecutionResult;
import graphql.GraphQL;
import graphql.scalars.ExtendedScalars;
import graphql.schema.DataFetcher;
import graphql.schema.GraphQLSchema;
import graphql.schema.TypeResolver;
import graphql.schema.idl.InterfaceWiringEnvironment;
import graphql.schema.idl.RuntimeWiring;
import graphql.schema.idl.SchemaGenerator;
import graphql.schema.idl.SchemaParser;
import graphql.schema.idl.TypeDefinitionRegistry;
import graphql.schema.idl.UnionWiringEnvironment;
import graphql.schema.idl.WiringFactory;
import org.dataloader.DataLoader;
import org.dataloader.DataLoaderFactory;
import org.dataloader.DataLoaderRegistry;
import org.dataloader.MappedBatchLoader;
import tools.jackson.databind.json.JsonMapper;

/**
 * The floor graphql-java itself puts under the board read: the benchmark's query on the real
 * schema (schema/*.graphqls), executed by bare graphql-java (the version the app ships) over
 * one board held in memory (5 columns × 50 tasks, assignees on 6 tasks of 7, 0–3 labels each),
 * and the answer written as JSON by Jackson, with no HTTP, database, Spring or security. Two
 * ways of resolving a task's assignee and labels:
 * <ul>
 * <li>{@code sync}: already on the task (what a query compiled to one SQL statement, as
 * PostGraphile does, would hand the engine);</li>
 * <li>{@code dataloader}: through DataLoaders whose batch functions answer at once from memory
 * (how the app batches them, minus the SQL).</li>
 * </ul>
 * Prints CPU milliseconds per board read (the thread's, then the whole process's: JIT and GC
 * included) after a warm-up. Run by bench/tools/engine_floor.sh. Not a test.
 */
public class EngineFloor {

	static final String QUERY = "query BoardRead($id: ID!) { board(id: $id) { columns { tasks(first: 50) {"
			+ " nodes { id number title priority dueDate assignee { handle } labels { name color } } } } } }";

	record User(UUID id, String handle) {
	}

	record Label(UUID id, String name, String color) {
	}

	record Task(UUID id, int number, String title, String priority, LocalDate dueDate, UUID assigneeId, User assignee,
			List<UUID> labelIds, List<Label> labels) {

		@Override
		public int hashCode() {
			return this.id.hashCode();
		}

	}

	record Connection(List<Task> nodes) {
	}

	record Column(UUID id, Connection tasks) {
	}

	record Board(UUID id, List<Column> columns) {
	}

	public static void main(String[] args) throws Exception {
		Path schemaDir = Path.of(args[0]);
		double seconds = (args.length > 1) ? Double.parseDouble(args[1]) : 20;
		Board board = board(new Random(7));
		Map<UUID, User> users = new HashMap<>();
		Map<UUID, Label> labels = new HashMap<>();
		for (Column column : board.columns()) {
			for (Task task : column.tasks().nodes()) {
				if (task.assignee() != null) {
					users.put(task.assigneeId(), task.assignee());
				}
				task.labels().forEach((label) -> labels.put(label.id(), label));
			}
		}
		JsonMapper json = JsonMapper.builder().build();
		for (String variant : List.of("sync", "dataloader", "sync", "dataloader")) {
			boolean loaders = variant.equals("dataloader");
			GraphQL graphQl = GraphQL.newGraphQL(schema(schemaDir, board, loaders)).build();
			Runnable read = () -> {
				ExecutionInput.Builder input = ExecutionInput.newExecutionInput(QUERY)
					.variables(Map.of("id", board.id().toString()));
				if (loaders) {
					input.dataLoaderRegistry(registry(users, labels));
				}
				ExecutionResult result = graphQl.execute(input.build());
				if (!result.getErrors().isEmpty()) {
					throw new IllegalStateException(result.getErrors().toString());
				}
				byte[] body = json.writeValueAsBytes(result.toSpecification());
				if (body.length < 10_000) {
					throw new IllegalStateException("answer too small: " + body.length);
				}
			};
			run(read, seconds / 2); // warm-up
			measure(variant, read, seconds / 2);
		}
	}

	static void run(Runnable read, double seconds) {
		long end = System.nanoTime() + (long) (seconds * 1e9);
		while (System.nanoTime() < end) {
			read.run();
		}
	}

	static void measure(String variant, Runnable read, double seconds) {
		ThreadMXBean threads = ManagementFactory.getThreadMXBean();
		com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean) ManagementFactory
			.getOperatingSystemMXBean();
		long thread0 = threads.getCurrentThreadCpuTime();
		long process0 = os.getProcessCpuTime();
		long wall0 = System.nanoTime();
		long end = wall0 + (long) (seconds * 1e9);
		int n = 0;
		while (System.nanoTime() < end) {
			read.run();
			n++;
		}
		double thread = (threads.getCurrentThreadCpuTime() - thread0) / 1e6 / n;
		double process = (os.getProcessCpuTime() - process0) / 1e6 / n;
		double wall = (System.nanoTime() - wall0) / 1e6 / n;
		System.out.printf("{\"variant\":\"%s\",\"reads\":%d,\"threadCpuMsPerRead\":%.3f,\"processCpuMsPerRead\":%.3f,"
				+ "\"wallMsPerRead\":%.3f}%n", variant, n, thread, process, wall);
	}

	static GraphQLSchema schema(Path dir, Board board, boolean loaders) throws IOException {
		TypeDefinitionRegistry types = new TypeDefinitionRegistry();
		try (Stream<Path> files = Files.list(dir)) {
			for (Path file : files.filter((f) -> f.toString().endsWith(".graphqls")).sorted().toList()) {
				types.merge(new SchemaParser().parse(Files.readString(file)));
			}
		}
		TypeResolver none = (env) -> null;
		RuntimeWiring.Builder wiring = RuntimeWiring.newRuntimeWiring()
			.scalar(ExtendedScalars.DateTime)
			.scalar(ExtendedScalars.Date)
			.wiringFactory(new WiringFactory() {
				@Override
				public boolean providesTypeResolver(InterfaceWiringEnvironment environment) {
					return true;
				}

				@Override
				public TypeResolver getTypeResolver(InterfaceWiringEnvironment environment) {
					return none;
				}

				@Override
				public boolean providesTypeResolver(UnionWiringEnvironment environment) {
					return true;
				}

				@Override
				public TypeResolver getTypeResolver(UnionWiringEnvironment environment) {
					return none;
				}
			})
			.type("Query", (type) -> type.dataFetcher("board", (env) -> board));
		if (loaders) {
			DataFetcher<?> assignee = (env) -> {
				Task task = env.getSource();
				return (task.assigneeId() != null) ? env.<UUID, User>getDataLoader("users").load(task.assigneeId())
						: CompletableFuture.completedFuture(null);
			};
			DataFetcher<?> taskLabels = (env) -> env.<Task, List<Label>>getDataLoader("labels").load(env.getSource());
			wiring.type("Task", (type) -> type.dataFetcher("assignee", assignee).dataFetcher("labels", taskLabels));
		}
		return new SchemaGenerator().makeExecutableSchema(types, wiring.build());
	}

	static DataLoaderRegistry registry(Map<UUID, User> users, Map<UUID, Label> labels) {
		MappedBatchLoader<UUID, User> byId = (ids) -> {
			Map<UUID, User> found = new HashMap<>();
			ids.forEach((id) -> found.put(id, users.get(id)));
			return CompletableFuture.completedFuture(found);
		};
		MappedBatchLoader<Task, List<Label>> byTask = (tasks) -> {
			Map<Task, List<Label>> found = new LinkedHashMap<>();
			tasks.forEach((task) -> found.put(task, task.labelIds().stream().map(labels::get).toList()));
			return CompletableFuture.completedFuture(found);
		};
		DataLoaderRegistry registry = new DataLoaderRegistry();
		registry.register("users", DataLoaderFactory.newMappedDataLoader(byId));
		registry.register("labels", DataLoaderFactory.newMappedDataLoader(byTask));
		return registry;
	}

	static Board board(Random random) {
		List<User> users = new ArrayList<>();
		for (int i = 0; i < 20; i++) {
			users.add(new User(UUID.randomUUID(), "user" + i));
		}
		List<Label> labels = new ArrayList<>();
		for (int i = 0; i < 10; i++) {
			labels.add(new Label(UUID.randomUUID(), "label " + i, String.format("#%06x", random.nextInt(0xffffff))));
		}
		String[] priorities = { "NONE", "LOW", "MEDIUM", "HIGH", "URGENT" };
		List<Column> columns = new ArrayList<>();
		int number = 1;
		for (int c = 0; c < 5; c++) {
			List<Task> tasks = new ArrayList<>();
			for (int t = 0; t < 50; t++) {
				User assignee = (random.nextInt(7) < 6) ? users.get(random.nextInt(users.size())) : null;
				List<Label> mine = new ArrayList<>(labels.subList(0, random.nextInt(4)));
				tasks.add(new Task(UUID.randomUUID(), number++, "Task number " + number + " of column " + c,
						priorities[random.nextInt(priorities.length)],
						random.nextBoolean() ? LocalDate.of(2026, 1 + random.nextInt(12), 1 + random.nextInt(28)) : null,
						(assignee != null) ? assignee.id() : null, assignee,
						mine.stream().map(Label::id).toList(), mine));
			}
			columns.add(new Column(UUID.randomUUID(), new Connection(tasks)));
		}
		return new Board(UUID.randomUUID(), columns);
	}

}
