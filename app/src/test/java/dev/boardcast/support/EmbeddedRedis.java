package dev.boardcast.support;

import java.io.IOException;
import java.io.UncheckedIOException;

import redis.embedded.RedisServer;

/**
 * A real Redis server process (binaries from Maven Central), on a fixed port for its
 * lifetime.
 */
final class EmbeddedRedis implements TestServices.Redis {

	private final int port;

	private RedisServer server;

	private EmbeddedRedis(int port) {
		this.port = port;
	}

	static EmbeddedRedis create() {
		EmbeddedRedis redis = new EmbeddedRedis(TestServices.freePort());
		redis.start();
		return redis;
	}

	@Override
	public String url() {
		return "redis://127.0.0.1:" + this.port;
	}

	@Override
	public synchronized void start() {
		try {
			this.server = RedisServer.newRedisServer()
				.port(this.port)
				.bind("127.0.0.1")
				.setting("save \"\"")
				.setting("appendonly no")
				.build();
			this.server.start();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	@Override
	public synchronized void stop() {
		try {
			if (this.server != null) {
				this.server.stop();
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
