package dev.boardcast.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.apache.commons.logging.Log;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.logging.DeferredLogFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.util.StringUtils;

/**
 * Chooses the database before anything connects to it. With {@code spring.r2dbc.url} set,
 * that database is used and Flyway's JDBC URL is derived from it (unless
 * {@code spring.flyway.url} is set). Without it, a real embedded PostgreSQL starts with
 * its data in {@code boardcast.data-dir}, which survives restarts. The log says which.
 */
public class EmbeddedDatabase implements EnvironmentPostProcessor {

	private final Log logger;

	public EmbeddedDatabase(DeferredLogFactory logFactory) {
		this.logger = logFactory.getLog(EmbeddedDatabase.class);
	}

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		Map<String, Object> properties = new HashMap<>();
		String r2dbcUrl = environment.getProperty("spring.r2dbc.url");
		if (StringUtils.hasText(r2dbcUrl)) {
			this.logger.info("Using the configured database " + withoutCredentials(r2dbcUrl));
			if (!StringUtils.hasText(environment.getProperty("spring.flyway.url"))) {
				flywayFrom(r2dbcUrl, environment, properties);
			}
		}
		else {
			Path dataDir = Path.of(environment.getProperty("boardcast.data-dir", "./data"))
				.toAbsolutePath()
				.normalize();
			EmbeddedPostgres postgres = start(dataDir.resolve("postgres"));
			this.logger.info("No database configured (SPRING_R2DBC_URL): started embedded PostgreSQL on port "
					+ postgres.getPort() + " with data in " + dataDir.resolve("postgres"));
			String hostAndDb = "localhost:" + postgres.getPort() + "/postgres";
			properties.put("spring.r2dbc.url", "r2dbc:postgresql://" + hostAndDb);
			properties.put("spring.r2dbc.username", "postgres");
			properties.put("spring.r2dbc.password", "");
			properties.put("spring.flyway.url", "jdbc:postgresql://" + hostAndDb);
			properties.put("spring.flyway.user", "postgres");
			properties.put("spring.flyway.password", "");
			application.addInitializers((context) -> context.getBeanFactory()
				.registerSingleton("embeddedPostgresLifecycle", new StopLast(postgres)));
		}
		if (!properties.isEmpty()) {
			environment.getPropertySources().addFirst(new MapPropertySource("boardcastDatabase", properties));
		}
	}

	private static EmbeddedPostgres start(Path dataDir) {
		try {
			Files.createDirectories(dataDir);
			// An existing data folder is reused as it is (initdb runs only for an empty
			// one).
			return EmbeddedPostgres.builder().setDataDirectory(dataDir).setCleanDataDirectory(false).start();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not start the embedded PostgreSQL in " + dataDir, ex);
		}
	}

	/**
	 * Flyway runs over JDBC: same host, port, database and credentials as the R2DBC URL.
	 */
	static void flywayFrom(String r2dbcUrl, ConfigurableEnvironment environment, Map<String, Object> properties) {
		String rest = r2dbcUrl.replaceFirst("^r2dbc:(pool:)?", "");
		URI uri = URI.create(rest);
		StringBuilder jdbc = new StringBuilder("jdbc:postgresql://").append(uri.getHost());
		if (uri.getPort() > 0) {
			jdbc.append(':').append(uri.getPort());
		}
		jdbc.append((uri.getRawPath() != null) ? uri.getRawPath() : "/");
		properties.put("spring.flyway.url", jdbc.toString());
		String user = environment.getProperty("spring.r2dbc.username");
		String password = environment.getProperty("spring.r2dbc.password");
		if (uri.getRawUserInfo() != null) {
			String[] userInfo = uri.getUserInfo().split(":", 2);
			user = (user != null) ? user : userInfo[0];
			password = (password != null || userInfo.length < 2) ? password : userInfo[1];
		}
		if (user != null && environment.getProperty("spring.flyway.user") == null) {
			properties.put("spring.flyway.user", user);
		}
		if (password != null && environment.getProperty("spring.flyway.password") == null) {
			properties.put("spring.flyway.password", password);
		}
	}

	private static String withoutCredentials(String url) {
		return url.replaceFirst("//[^@/]*@", "//***@");
	}

	/**
	 * Stops the embedded server after everything else: the lowest phase stops last, after
	 * the web server has finished its graceful shutdown.
	 */
	static final class StopLast implements SmartLifecycle {

		private final EmbeddedPostgres postgres;

		private volatile boolean running = true;

		StopLast(EmbeddedPostgres postgres) {
			this.postgres = postgres;
		}

		@Override
		public void start() {
			this.running = true;
		}

		@Override
		public void stop() {
			try {
				this.postgres.close();
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
			finally {
				this.running = false;
			}
		}

		@Override
		public boolean isRunning() {
			return this.running;
		}

		@Override
		public int getPhase() {
			return Integer.MIN_VALUE;
		}

	}

}
