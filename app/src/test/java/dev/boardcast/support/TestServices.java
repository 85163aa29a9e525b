package dev.boardcast.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * The one test-support seam for real services: a real PostgreSQL from Testcontainers
 * where a Docker engine answers, otherwise an embedded real PostgreSQL. Started once per
 * test JVM and handed to every application context through system properties, which the
 * app's {@code EmbeddedDatabase} sees before anything connects. Never a mock, never a
 * skip.
 */
public final class TestServices {

	private static Postgres postgres;

	private static Redis redis;

	private TestServices() {
	}

	/** Connection facts of the test database. */
	public record Postgres(String host, int port, String database, String user, String password, AutoCloseable server) {

		public String r2dbcUrl() {
			return "r2dbc:postgresql://" + this.host + ":" + this.port + "/" + this.database;
		}

		public String jdbcUrl() {
			return "jdbc:postgresql://" + this.host + ":" + this.port + "/" + this.database;
		}

	}

	public static synchronized Postgres postgres() {
		if (postgres == null) {
			postgres = dockerAvailable() ? container() : embedded();
		}
		return postgres;
	}

	/** A real Redis that a test can stop and start again on the same address. */
	public interface Redis {

		String url();

		void stop();

		void start();

	}

	public static synchronized Redis redis() {
		if (redis == null) {
			redis = dockerAvailable() ? RedisContainer.create() : EmbeddedRedis.create();
		}
		return redis;
	}

	static synchronized void startAll() {
		Postgres db = postgres();
		System.setProperty("spring.r2dbc.url", db.r2dbcUrl());
		System.setProperty("spring.r2dbc.username", db.user());
		System.setProperty("spring.r2dbc.password", db.password());
		System.setProperty("spring.data.redis.url", redis().url());
	}

	static synchronized void stopAll() {
		if (redis != null) {
			redis.stop();
			redis = null;
		}
		if (postgres != null) {
			try {
				postgres.server().close();
			}
			catch (Exception ex) {
				// the JVM is ending anyway
			}
			postgres = null;
		}
	}

	static int freePort() {
		try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	static boolean dockerAvailable() {
		try {
			return DockerClientFactory.instance().isDockerAvailable();
		}
		catch (Throwable ex) {
			return false;
		}
	}

	private static Postgres container() {
		PostgreSQLContainer container = new PostgreSQLContainer("postgres:17-alpine");
		container.start();
		return new Postgres(container.getHost(), container.getFirstMappedPort(), container.getDatabaseName(),
				container.getUsername(), container.getPassword(), container::stop);
	}

	private static Postgres embedded() {
		try {
			EmbeddedPostgres server = EmbeddedPostgres.builder()
				.setDataDirectory(Files.createTempDirectory("boardcast-test-pg"))
				.setCleanDataDirectory(true)
				.setServerConfig("max_connections", "300")
				.setServerConfig("fsync", "off")
				.setServerConfig("synchronous_commit", "off")
				.start();
			return new Postgres("localhost", server.getPort(), "postgres", "postgres", "", server);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
