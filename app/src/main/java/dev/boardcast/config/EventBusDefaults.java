package dev.boardcast.config;

import java.util.Map;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.util.StringUtils;

/**
 * Redis is used only when it is configured: otherwise the in-process bus serves one
 * replica and Redis is left out of health, so a local run without Redis is healthy.
 */
public class EventBusDefaults implements EnvironmentPostProcessor {

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		boolean configured = StringUtils.hasText(environment.getProperty("spring.data.redis.url"))
				|| StringUtils.hasText(environment.getProperty("spring.data.redis.host"));
		environment.getPropertySources()
			.addLast(new MapPropertySource("boardcastEventBus",
					Map.of("boardcast.redis.enabled", configured, "management.health.redis.enabled", configured)));
	}

}
