package dev.boardcast.events;

import java.time.Duration;
import java.util.UUID;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.listener.ChannelTopic;
import org.springframework.data.redis.listener.ReactiveRedisMessageListenerContainer;

/**
 * Fan-out between replicas over Redis pub/sub, one channel per board. Redis delivers at
 * most once and may restart: publishing fails fast while it is away (the log has the
 * event), and a subscription that breaks is made again with backoff.
 */
class RedisEventBus implements EventBus {

	private static final Log logger = LogFactory.getLog(RedisEventBus.class);

	static final String CHANNEL_PREFIX = "boardcast:board:";

	private final ReactiveStringRedisTemplate redis;

	private final ReactiveRedisMessageListenerContainer listeners;

	private final JsonMapper json;

	RedisEventBus(ReactiveStringRedisTemplate redis, ReactiveRedisMessageListenerContainer listeners, JsonMapper json) {
		this.redis = redis;
		this.listeners = listeners;
		this.json = json;
	}

	static String channel(UUID boardId) {
		return CHANNEL_PREFIX + boardId;
	}

	@Override
	public Mono<Void> publish(BoardEvent event) {
		return Mono.fromCallable(() -> this.json.writeValueAsString(event))
			.flatMap((message) -> this.redis.convertAndSend(channel(event.boardId()), message))
			.timeout(Duration.ofSeconds(1))
			.doOnError((ex) -> logger.warn("Could not publish event " + event.boardId() + "#" + event.seq()
					+ " on Redis (subscribers recover it from the log): " + ex))
			.onErrorResume((ex) -> Mono.empty())
			.then();
	}

	@Override
	public Flux<BoardEvent> subscribe(UUID boardId) {
		return this.listeners.receive(ChannelTopic.of(channel(boardId)))
			.map((message) -> this.json.readValue(message.getMessage(), BoardEvent.class))
			.retryWhen(Retry.backoff(Long.MAX_VALUE, Duration.ofMillis(100))
				.maxBackoff(Duration.ofSeconds(2))
				.doBeforeRetry((signal) -> logger
					.warn("Redis subscription of board " + boardId + " failed, again: " + signal.failure())));
	}

}
