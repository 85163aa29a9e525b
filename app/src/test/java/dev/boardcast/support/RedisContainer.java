package dev.boardcast.support;

import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.PortBinding;
import com.github.dockerjava.api.model.Ports;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;

/**
 * Redis in a container where a Docker engine answers. Its host port is fixed when the
 * container is created, so stopping and starting the container keeps the address the app
 * knows.
 */
final class RedisContainer implements TestServices.Redis {

	private final GenericContainer<?> container;

	private final int port;

	private RedisContainer(GenericContainer<?> container, int port) {
		this.container = container;
		this.port = port;
	}

	static RedisContainer create() {
		int port = TestServices.freePort();
		GenericContainer<?> container = new GenericContainer<>("redis:7-alpine").withExposedPorts(6379)
			.withCreateContainerCmdModifier((cmd) -> cmd.getHostConfig()
				.withPortBindings(new PortBinding(Ports.Binding.bindPort(port), new ExposedPort(6379))));
		container.start();
		return new RedisContainer(container, port);
	}

	@Override
	public String url() {
		return "redis://127.0.0.1:" + this.port;
	}

	@Override
	public void stop() {
		DockerClientFactory.instance().client().stopContainerCmd(this.container.getContainerId()).exec();
	}

	@Override
	public void start() {
		DockerClientFactory.instance().client().startContainerCmd(this.container.getContainerId()).exec();
	}

}
