package dev.boardcast.events;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import io.lettuce.core.RedisClient;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.util.retry.Retry;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

/**
 * Fan-out between replicas over Redis pub/sub, one channel per board. Redis delivers at
 * most once and may restart: publishing fails fast while it is away (the log has the
 * event), and a subscription that fails is made again with backoff (Lettuce itself
 * subscribes again to every channel after a reconnect).
 * <p>
 * All channels of a replica share one pub/sub connection, and a message is dispatched by
 * its channel through a map: O(1) per message, whatever the number of watched boards
 * (Spring Data Redis's listener container hands every message to every subscription, each
 * of which filters by channel). A message is decoded once per replica, whatever the
 * number of local subscribers. Each board's channel is subscribed once per replica
 * ({@link BoardFeeds} shares it) and unsubscribed when its last listener goes.
 */
class RedisEventBus implements EventBus, DisposableBean {

	private static final Log logger = LogFactory.getLog(RedisEventBus.class);

	static final String CHANNEL_PREFIX = "boardcast:board:";

	private final ReactiveStringRedisTemplate redis;

	private final RedisClient client;

	private final JsonMapper json;

	/** Listeners by channel; a channel is subscribed on Redis while it has any. */
	private final Map<String, List<Consumer<String>>> listeners = new ConcurrentHashMap<>();

	private final Mono<StatefulRedisPubSubConnection<String, String>> connection;

	private volatile StatefulRedisPubSubConnection<String, String> connected;

	RedisEventBus(ReactiveStringRedisTemplate redis, RedisClient client, JsonMapper json) {
		this.redis = redis;
		this.client = client;
		this.json = json;
		// Connected on first use, off the caller's thread; a failed attempt is not
		// cached.
		this.connection = Mono.fromCallable(this::connect)
			.subscribeOn(Schedulers.boundedElastic())
			.cache((value) -> Duration.ofMillis(Long.MAX_VALUE), (ex) -> Duration.ZERO, () -> Duration.ZERO);
	}

	static String channel(UUID boardId) {
		return CHANNEL_PREFIX + boardId;
	}

	private StatefulRedisPubSubConnection<String, String> connect() {
		StatefulRedisPubSubConnection<String, String> pubSub = this.client.connectPubSub();
		pubSub.addListener(new RedisPubSubAdapter<>() {
			@Override
			public void message(String channel, String message) {
				dispatch(channel, message);
			}
		});
		this.connected = pubSub;
		return pubSub;
	}

	/** On Lettuce's I/O thread: decode once, hand to the channel's listeners. */
	private void dispatch(String channel, String message) {
		List<Consumer<String>> these = this.listeners.get(channel);
		if (these == null) {
			return;
		}
		for (Consumer<String> listener : these) {
			listener.accept(message);
		}
	}

	/**
	 * Waits for Redis's reply, as before: the mutation's response then continues on
	 * Lettuce's thread, not on the database connection's event loop, whose next
	 * statements (of transactions holding a board's lock) it would otherwise delay.
	 */
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
		String channel = channel(boardId);
		return Flux.create((FluxSink<BoardEvent> sink) -> {
			Consumer<String> listener = (message) -> {
				BoardEvent event;
				try {
					event = this.json.readValue(message, BoardEvent.class);
				}
				catch (RuntimeException ex) {
					logger.warn("Ignored an unreadable message on " + channel + ": " + ex);
					return;
				}
				sink.next(event);
			};
			boolean first;
			synchronized (this.listeners) {
				List<Consumer<String>> these = this.listeners.computeIfAbsent(channel,
						(key) -> new CopyOnWriteArrayList<>());
				these.add(listener);
				first = these.size() == 1;
			}
			sink.onDispose(() -> remove(channel, listener));
			if (first) {
				redisSubscribe(channel);
			}
		});
	}

	/**
	 * SUBSCRIBE, retried with backoff while the channel is still wanted (Lettuce
	 * subscribes again after a reconnect only to channels Redis acknowledged).
	 */
	private void redisSubscribe(String channel) {
		this.connection.flatMap((pubSub) -> Mono.defer(() -> {
			// sent under the lock that orders it with the channel's UNSUBSCRIBE
			synchronized (this.listeners) {
				return this.listeners.containsKey(channel) ? Mono.fromCompletionStage(pubSub.async().subscribe(channel))
						: Mono.<Void>empty();
			}
		}))
			.retryWhen(Retry.backoff(Long.MAX_VALUE, Duration.ofMillis(100))
				.maxBackoff(Duration.ofSeconds(2))
				.filter((ex) -> this.listeners.containsKey(channel))
				.doBeforeRetry((signal) -> logger
					.warn("Redis subscription of " + channel + " failed, again: " + signal.failure())))
			.subscribe(null, (ex) -> {
			});
	}

	private void remove(String channel, Consumer<String> listener) {
		synchronized (this.listeners) {
			List<Consumer<String>> these = this.listeners.get(channel);
			if (these == null || !these.remove(listener) || !these.isEmpty()) {
				return;
			}
			this.listeners.remove(channel);
			StatefulRedisPubSubConnection<String, String> pubSub = this.connected;
			if (pubSub != null) {
				// in order after any SUBSCRIBE of this channel: one connection, both
				// sent under this lock
				pubSub.async().unsubscribe(channel);
			}
		}
	}

	@Override
	public void destroy() {
		StatefulRedisPubSubConnection<String, String> pubSub = this.connected;
		if (pubSub != null) {
			pubSub.close();
		}
	}

}
