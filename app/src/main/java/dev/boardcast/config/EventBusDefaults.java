package dev.boardcast.config;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.util.StringUtils;

/**
 * Redis is used only when it is configured ({@code spring.data.redis.url} or {@code host}
 * set and not blank). Otherwise the in-process bus serves one replica and Redis's
 * auto-configuration is left out altogether: no client, no health check, and a blank
 * setting is not an error.
 */
public class EventBusDefaults implements EnvironmentPostProcessor {

	static final List<String> REDIS_AUTO_CONFIGURATIONS = List.of(
			"org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration",
			"org.springframework.boot.data.redis.autoconfigure.DataRedisReactiveAutoConfiguration",
			"org.springframework.boot.data.redis.autoconfigure.DataRedisRepositoriesAutoConfiguration",
			"org.springframework.boot.data.redis.autoconfigure.health.DataRedisHealthContributorAutoConfiguration",
			"org.springframework.boot.data.redis.autoconfigure.health.DataRedisReactiveHealthContributorAutoConfiguration",
			"org.springframework.boot.data.redis.autoconfigure.observation.LettuceObservationAutoConfiguration");

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		boolean configured = StringUtils.hasText(environment.getProperty("spring.data.redis.url"))
				|| StringUtils.hasText(environment.getProperty("spring.data.redis.host"));
		Map<String, Object> properties = new HashMap<>();
		properties.put("boardcast.redis.enabled", configured);
		if (configured && environment.getProperty("management.endpoint.health.group.readiness.include") != null) {
			properties.put("management.endpoint.health.group.readiness.include",
					environment.getProperty("management.endpoint.health.group.readiness.include") + ",redis");
		}
		if (!configured) {
			List<String> excluded = new ArrayList<>(REDIS_AUTO_CONFIGURATIONS);
			String already = environment.getProperty("spring.autoconfigure.exclude");
			if (StringUtils.hasText(already)) {
				excluded.add(already);
			}
			properties.put("spring.autoconfigure.exclude", String.join(",", excluded));
		}
		environment.getPropertySources().addFirst(new MapPropertySource("boardcastEventBus", properties));
	}

}
