package dev.boardcast.events;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.resource.Delay;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.data.redis.autoconfigure.ClientResourcesBuilderCustomizer;
import org.springframework.boot.data.redis.autoconfigure.LettuceClientOptionsBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

/**
 * Redis when it is configured ({@code spring.data.redis.url} or {@code host}), the
 * in-process bus otherwise ({@code boardcast.redis.enabled} is derived by
 * {@code EventBusDefaults}).
 */
@Configuration(proxyBeanMethods = false)
class EventBusConfig {

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnProperty(name = "boardcast.redis.enabled", havingValue = "true")
	static class Redis {

		@Bean
		EventBus redisEventBus(ReactiveStringRedisTemplate redis, LettuceConnectionFactory connections,
				JsonMapper json) {
			// pub/sub on Lettuce directly (see RedisEventBus), with the factory's client:
			// same URI, options and resources as every other Redis command
			if (!(connections.getRequiredNativeClient() instanceof RedisClient client)) {
				throw new IllegalStateException("The event bus needs a standalone Redis (spring.data.redis.url)");
			}
			return new RedisEventBus(redis, client, json);
		}

		/** Fail commands at once while Redis is away (a publish must not wait for it). */
		@Bean
		LettuceClientOptionsBuilderCustomizer failFastWhileDisconnected() {
			return (builder) -> builder.autoReconnect(true)
				.disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS);
		}

		/**
		 * Reconnect within seconds after Redis comes back, not Lettuce's default of up to
		 * 30 s.
		 */
		@Bean
		ClientResourcesBuilderCustomizer quickReconnect() {
			return (builder) -> builder.reconnectDelay(
					Delay.exponential(Duration.ofMillis(100), Duration.ofSeconds(2), 2, TimeUnit.MILLISECONDS));
		}

	}

	@Bean
	@ConditionalOnProperty(name = "boardcast.redis.enabled", havingValue = "false", matchIfMissing = true)
	EventBus inProcessEventBus() {
		return new InProcessEventBus();
	}

}
