package dev.boardcast.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.bertramlabs.plugins.hcl4j.HCLParser;
import com.bertramlabs.plugins.hcl4j.HCLParserException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.env.PropertiesPropertySourceLoader;
import org.springframework.boot.env.PropertySourceLoader;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.core.io.FileSystemResource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Checks {@code terraform/} here, where {@code terraform validate} cannot run (providers
 * cannot be downloaded): every variable typed, described and used, every reference
 * declared, every output described, the example tfvars names only declared variables, and
 * the Cloud Run service sets only environment variables the app reads (derived from its
 * {@code application*.yml}) and every one the cloud requires.
 */
class TerraformConfigTest {

	/** Surefire runs in the app module; Terraform's root module is a sibling. */
	private static final Path TERRAFORM = Path.of("..", "terraform");

	private static final Path APP_CONFIG = Path.of("src", "main", "resources");

	/**
	 * Without these the app falls back to its local defaults (embedded database, dev
	 * issuer).
	 */
	private static final Set<String> REQUIRED_IN_THE_CLOUD = Set.of("SPRING_PROFILES_ACTIVE", "SPRING_R2DBC_URL",
			"SPRING_R2DBC_USERNAME", "SPRING_R2DBC_PASSWORD", "SPRING_SECURITY_OAUTH2_RESOURCESERVER_JWT_ISSUER_URI");

	/**
	 * Read outside the app's configuration files: by the JVM, and by Spring Boot before
	 * it loads them (the profiles it names are checked against the app's own).
	 */
	private static final Set<String> READ_OUTSIDE_APP_CONFIG = Set.of("JAVA_TOOL_OPTIONS", "SPRING_PROFILES_ACTIVE");

	private static Terraform terraform;

	private static AppConfig app;

	@BeforeAll
	static void load() throws IOException {
		// hcl4j logs an error for each expression it cannot evaluate (such as validation
		// conditions over variables); these checks read only literals.
		LoggingSystem.get(TerraformConfigTest.class.getClassLoader())
			.setLogLevel("com.bertramlabs.plugins.hcl4j", LogLevel.OFF);
		terraform = Terraform.load(TERRAFORM);
		app = AppConfig.load(APP_CONFIG);
	}

	@Test
	void everyVariableIsTypedAndDescribed() {
		assertThat(terraform.variables()).as("variables declared in %s", TERRAFORM).isNotEmpty();
		List<String> problems = new ArrayList<>();
		terraform.variables().forEach((name, body) -> {
			if (body.get("type") == null) {
				problems.add("variable \"" + name + "\" has no type");
			}
			if (isBlank(body.get("description"))) {
				problems.add("variable \"" + name + "\" has no description");
			}
		});
		assertThat(problems).isEmpty();
	}

	@Test
	void everyReferenceIsDeclaredAndEveryVariableUsed() throws IOException {
		// What terraform validate would catch first, as far as names go.
		String source = terraform.source();
		Set<String> problems = new TreeSet<>();
		Set<String> usedVariables = new TreeSet<>();
		Matcher variable = Pattern.compile("\\bvar\\.([A-Za-z0-9_-]+)").matcher(source);
		while (variable.find()) {
			usedVariables.add(variable.group(1));
			if (!terraform.variables().containsKey(variable.group(1))) {
				problems.add("var." + variable.group(1) + " is not declared");
			}
		}
		terraform.variables()
			.keySet()
			.stream()
			.filter((name) -> !usedVariables.contains(name))
			.forEach((name) -> problems.add("variable \"" + name + "\" is never used"));
		Matcher local = Pattern.compile("\\blocal\\.([A-Za-z0-9_-]+)").matcher(source);
		while (local.find()) {
			if (!terraform.locals().containsKey(local.group(1))) {
				problems.add("local." + local.group(1) + " is not declared");
			}
		}
		Matcher resource = Pattern.compile("(?<![\\w.\"])((?:google|google-beta|random)_[a-z0-9_]+)\\.([A-Za-z0-9_-]+)")
			.matcher(source);
		while (resource.find()) {
			if (!terraform.resources(resource.group(1)).containsKey(resource.group(2))) {
				problems.add(resource.group() + " is not declared");
			}
		}
		assertThat(usedVariables).as("variables referenced in %s", TERRAFORM).isNotEmpty();
		assertThat(problems).isEmpty();
	}

	@Test
	void everyOutputIsDescribed() {
		assertThat(terraform.outputs()).as("outputs declared in %s", TERRAFORM).isNotEmpty();
		List<String> problems = new ArrayList<>();
		terraform.outputs().forEach((name, body) -> {
			if (isBlank(body.get("description"))) {
				problems.add("output \"" + name + "\" has no description");
			}
			if (!body.containsKey("value")) {
				problems.add("output \"" + name + "\" has no value");
			}
		});
		assertThat(problems).isEmpty();
	}

	@Test
	void outputsGiveTheGraphQlHttpAndWebSocketUrls() throws IOException {
		// hcl4j does not keep template strings intact, so these two read the source text.
		assertThat(terraform.outputSource("graphql_url")).as("output graphql_url").contains("/graphql");
		assertThat(terraform.outputSource("websocket_url")).as("output websocket_url").contains("wss://", "/graphql");
	}

	@Test
	void exampleTfvarsSetsOnlyDeclaredVariablesAndEveryRequiredOne() throws IOException {
		Map<String, Object> example = Terraform.parse(TERRAFORM.resolve("terraform.example.tfvars"));
		Set<String> declared = terraform.variables().keySet();
		assertThat(example.keySet()).as("variables set in terraform.example.tfvars but not declared")
			.isSubsetOf(declared);
		Set<String> required = new TreeSet<>();
		terraform.variables().forEach((name, body) -> {
			if (!body.containsKey("default")) {
				required.add(name);
			}
		});
		assertThat(required).as("variables without a default (required)").isNotEmpty();
		assertThat(example.keySet()).as("terraform.example.tfvars sets every required variable").containsAll(required);
	}

	@Test
	void providerVersionsAreBounded() {
		Map<String, Object> providers = terraform.requiredProviders();
		assertThat(providers).as("required_providers").isNotEmpty();
		providers.forEach((name, constraint) -> {
			Object version = (constraint instanceof Map<?, ?> map) ? map.get("version") : constraint;
			assertThat(String.valueOf(version)).as("version of provider %s", name).containsAnyOf("<", "~>");
		});
	}

	@Test
	void cloudRunSetsOnlyEnvironmentVariablesTheAppReads() {
		assertThat(app.files()).as("the app's configuration files in %s", APP_CONFIG).isNotEmpty();
		Map<String, Map<String, Object>> env = cloudRunEnv();
		List<String> unread = env.keySet()
			.stream()
			.filter((name) -> !READ_OUTSIDE_APP_CONFIG.contains(name) && !app.reads(name))
			.toList();
		assertThat(unread)
			.as("environment variables set by Cloud Run that no property or placeholder in %s reads", app.files())
			.isEmpty();
	}

	@Test
	void cloudRunSetsEveryEnvironmentVariableTheCloudRequires() {
		Map<String, Map<String, Object>> env = cloudRunEnv();
		assertThat(env.keySet()).containsAll(REQUIRED_IN_THE_CLOUD);
		// Also every ${NAME} without a default that the active profiles would resolve.
		String profiles = String.valueOf(env.get("SPRING_PROFILES_ACTIVE").get("value"));
		assertThat(env.keySet()).containsAll(app.requiredPlaceholders(Set.of(profiles.split("\\s*,\\s*"))));
	}

	@Test
	void cloudRunActivatesOnlyProfilesTheAppDefines() {
		Map<String, Object> profilesEnv = cloudRunEnv().get("SPRING_PROFILES_ACTIVE");
		assertThat(profilesEnv).as("SPRING_PROFILES_ACTIVE in the Cloud Run service").isNotNull();
		assertThat(profilesEnv.get("value")).as("SPRING_PROFILES_ACTIVE must be a literal list of profiles")
			.isInstanceOf(String.class);
		for (String profile : ((String) profilesEnv.get("value")).split(",")) {
			assertThat(app.profiles()).as("profiles defined by %s", app.files()).contains(profile.trim());
		}
	}

	@Test
	void secretsComeFromSecretManager() {
		Map<String, Map<String, Object>> env = cloudRunEnv();
		List<String> secrets = env.keySet()
			.stream()
			.filter((name) -> name.contains("PASSWORD") || name.contains("SECRET"))
			.toList();
		assertThat(secrets).as("secret environment variables").contains("SPRING_R2DBC_PASSWORD");
		for (String name : secrets) {
			Map<String, Object> entry = env.get(name);
			assertThat(entry).as("%s is not a plain value", name).doesNotContainKey("value");
			assertThat(blocks(entry.get("value_source"))).as("%s comes from a Secret Manager secret", name)
				.singleElement()
				.satisfies((source) -> assertThat(blocks(source.get("secret_key_ref"))).hasSize(1));
		}
	}

	/** The env entries of every container of every Cloud Run service, by name. */
	private static Map<String, Map<String, Object>> cloudRunEnv() {
		Map<String, Map<String, Object>> services = terraform.resources("google_cloud_run_v2_service");
		assertThat(services).as("google_cloud_run_v2_service resources").isNotEmpty();
		Map<String, Map<String, Object>> env = new LinkedHashMap<>();
		for (Map<String, Object> service : services.values()) {
			for (Map<String, Object> template : blocks(service.get("template"))) {
				for (Map<String, Object> container : blocks(template.get("containers"))) {
					for (Map<String, Object> dynamic : blocks(container.get("dynamic"))) {
						assertThat(dynamic).as("env set through a dynamic block cannot be checked; use env blocks")
							.doesNotContainKey("env");
					}
					for (Map<String, Object> entry : blocks(container.get("env"))) {
						assertThat(entry.get("name")).as("env name (a literal string) in %s", entry)
							.isInstanceOf(String.class);
						Object previous = env.put((String) entry.get("name"), entry);
						assertThat(previous).as("env %s set twice", entry.get("name")).isNull();
					}
				}
			}
		}
		assertThat(env).as("environment of the Cloud Run service").isNotEmpty();
		return env;
	}

	/** A nested block is a map when it appears once and a list of maps when repeated. */
	@SuppressWarnings("unchecked")
	private static List<Map<String, Object>> blocks(Object value) {
		if (value instanceof Map<?, ?> map) {
			return List.of((Map<String, Object>) map);
		}
		if (value instanceof List<?> list) {
			return list.stream().filter(Map.class::isInstance).map((item) -> (Map<String, Object>) item).toList();
		}
		return List.of();
	}

	private static boolean isBlank(Object value) {
		return !(value instanceof String text) || text.isBlank();
	}

	/**
	 * The root module: every {@code *.tf} file of the folder, merged as Terraform does.
	 */
	record Terraform(Path dir, Map<String, Map<String, Object>> variables, Map<String, Map<String, Object>> outputs,
			Map<String, Object> locals, Map<String, Map<String, Map<String, Object>>> resources,
			Map<String, Object> requiredProviders) {

		static Terraform load(Path dir) throws IOException {
			assertThat(dir).as("Terraform root module").isDirectory();
			Terraform module = new Terraform(dir, new LinkedHashMap<>(), new LinkedHashMap<>(), new LinkedHashMap<>(),
					new LinkedHashMap<>(), new LinkedHashMap<>());
			try (Stream<Path> files = Files.list(dir)) {
				for (Path file : files.filter((f) -> f.toString().endsWith(".tf")).sorted().toList()) {
					module.add(file, parse(file));
				}
			}
			return module;
		}

		static Map<String, Object> parse(Path file) throws IOException {
			try {
				return new HCLParser().parse(file.toFile(), "UTF-8");
			}
			catch (HCLParserException ex) {
				throw new AssertionError("Cannot parse " + file + ": " + ex.getMessage(), ex);
			}
		}

		private void add(Path file, Map<String, Object> content) {
			putAll(file, "variable", asMap(content.get("variable")), this.variables);
			putAll(file, "output", asMap(content.get("output")), this.outputs);
			for (Map<String, Object> locals : blocks(content.get("locals"))) {
				locals.forEach((name, value) -> {
					assertThat(this.locals).as("local \"%s\" declared again in %s", name, file).doesNotContainKey(name);
					this.locals.put(name, value);
				});
			}
			asMap(content.get("resource")).forEach((type, byName) -> putAll(file, "resource " + type, asMap(byName),
					this.resources.computeIfAbsent(type, (t) -> new LinkedHashMap<>())));
			for (Map<String, Object> settings : blocks(content.get("terraform"))) {
				for (Map<String, Object> providers : blocks(settings.get("required_providers"))) {
					this.requiredProviders.putAll(providers);
				}
			}
		}

		private static void putAll(Path file, String kind, Map<String, Object> blocks,
				Map<String, Map<String, Object>> into) {
			blocks.forEach((name, body) -> {
				assertThat(into).as("%s \"%s\" declared again in %s", kind, name, file).doesNotContainKey(name);
				into.put(name, asMap(body));
			});
		}

		@SuppressWarnings("unchecked")
		private static Map<String, Object> asMap(Object value) {
			return (value instanceof Map<?, ?> map) ? (Map<String, Object>) map : Map.of();
		}

		Map<String, Map<String, Object>> resources(String type) {
			return this.resources.getOrDefault(type, Map.of());
		}

		/** The text of every {@code *.tf} file, without comments. */
		String source() throws IOException {
			StringBuilder source = new StringBuilder();
			try (Stream<Path> files = Files.list(this.dir)) {
				for (Path file : files.filter((f) -> f.toString().endsWith(".tf")).sorted().toList()) {
					source.append(Files.readString(file).replaceAll("(?m)(^|\\s)(#|//).*$", "$1")).append('\n');
				}
			}
			return source.toString();
		}

		/**
		 * The source text of an output block, up to its closing brace at the start of a
		 * line.
		 */
		String outputSource(String name) throws IOException {
			Pattern block = Pattern.compile("(?ms)^output\\s+\"" + Pattern.quote(name) + "\"\\s*\\{.*?^\\}");
			try (Stream<Path> files = Files.list(this.dir)) {
				for (Path file : files.filter((f) -> f.toString().endsWith(".tf")).toList()) {
					Matcher matcher = block.matcher(Files.readString(file));
					if (matcher.find()) {
						return matcher.group();
					}
				}
			}
			throw new AssertionError("No output \"" + name + "\" in " + this.dir);
		}

	}

	/**
	 * What the app reads from the environment: the names in its {@code ${NAME:default}}
	 * placeholders, and the relaxed-binding forms of its property names
	 * ({@code spring.r2dbc.url} is read from {@code SPRING_R2DBC_URL}), in every
	 * {@code application*.yml}, {@code .yaml} or {@code .properties}.
	 */
	record AppConfig(List<Path> files, Set<String> propertyNames, Set<String> placeholders, Set<String> profiles,
			Map<String, Set<String>> requiredByProfile) {

		private static final Pattern CONFIG_FILE = Pattern
			.compile("application(-(?<profile>[^.]+))?\\.(yml|yaml|properties)");

		private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([^:}\\s]+)");

		/** An environment variable with no default: the app cannot start without it. */
		private static final Pattern REQUIRED_PLACEHOLDER = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)}");

		static AppConfig load(Path dir) throws IOException {
			AppConfig config = new AppConfig(new ArrayList<>(), new TreeSet<>(), new TreeSet<>(), new TreeSet<>(),
					new LinkedHashMap<>());
			try (Stream<Path> files = Files.list(dir)) {
				for (Path file : files.sorted().toList()) {
					Matcher name = CONFIG_FILE.matcher(file.getFileName().toString());
					if (name.matches()) {
						config.add(file, name.group("profile"));
					}
				}
			}
			return config;
		}

		private void add(Path file, String profile) throws IOException {
			this.files.add(file);
			if (profile != null) {
				this.profiles.add(profile);
			}
			PropertySourceLoader loader = file.toString().endsWith(".properties") ? new PropertiesPropertySourceLoader()
					: new YamlPropertySourceLoader();
			for (PropertySource<?> document : loader.load(file.toString(), new FileSystemResource(file))) {
				EnumerablePropertySource<?> properties = (EnumerablePropertySource<?>) document;
				// "" for documents that apply whatever the profiles are.
				Object onProfile = properties.getProperty("spring.config.activate.on-profile");
				String documentProfile = (profile != null) ? profile
						: (onProfile != null) ? String.valueOf(onProfile).trim() : "";
				for (String name : properties.getPropertyNames()) {
					String value = String.valueOf(properties.getProperty(name));
					this.propertyNames.add(name);
					Matcher placeholder = PLACEHOLDER.matcher(value);
					while (placeholder.find()) {
						this.placeholders.add(placeholder.group(1));
					}
					Matcher required = REQUIRED_PLACEHOLDER.matcher(value);
					while (required.find()) {
						this.requiredByProfile.computeIfAbsent(documentProfile, (p) -> new TreeSet<>())
							.add(required.group(1));
					}
					if (name.equals("spring.config.activate.on-profile")) {
						// A profile expression such as "prod" or "prod & !local".
						for (String token : value.split("[^A-Za-z0-9_-]+")) {
							if (!token.isEmpty()) {
								this.profiles.add(token);
							}
						}
					}
				}
			}
		}

		/**
		 * Variables without a default in the documents that apply under these profiles (a
		 * document for a profile expression such as {@code prod & !local} counts when it
		 * names one of them).
		 */
		Set<String> requiredPlaceholders(Set<String> activeProfiles) {
			Set<String> required = new TreeSet<>();
			this.requiredByProfile.forEach((profile, names) -> {
				boolean applies = profile.isEmpty() || activeProfiles.stream()
					.anyMatch((active) -> profile.matches(".*\\b" + Pattern.quote(active) + "\\b.*"));
				if (applies) {
					required.addAll(names);
				}
			});
			return required;
		}

		/**
		 * Whether Spring Boot would hand this environment variable to the app's
		 * configuration.
		 */
		boolean reads(String variable) {
			SystemEnvironmentPropertySource environment = new SystemEnvironmentPropertySource(
					StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
					Map.<String, Object>of(variable, "set"));
			if (this.placeholders.stream().anyMatch(environment::containsProperty)) {
				return true;
			}
			ConfigurationPropertySource relaxed = ConfigurationPropertySources.from(environment).iterator().next();
			return this.propertyNames.stream()
				.anyMatch(
						(name) -> relaxed.getConfigurationProperty(ConfigurationPropertyName.adapt(name, '.')) != null);
		}

	}

}
