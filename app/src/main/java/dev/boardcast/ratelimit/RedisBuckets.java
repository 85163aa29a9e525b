package dev.boardcast.ratelimit;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.distributed.AsyncBucketProxy;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.proxy.AsyncProxyManager;
import io.github.bucket4j.distributed.proxy.optimization.Optimization;
import io.github.bucket4j.redis.lettuce.Bucket4jLettuce;
import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.beans.factory.DisposableBean;

/**
 * Buckets in Redis, shared by every replica (Bucket4j's compare-and-swap on one key per
 * bucket, asynchronous: no thread waits for Redis). A key lives until its bucket would be
 * full again, so idle callers leave nothing behind.
 * <p>
 * Redis being away must not refuse everyone: while it is, each replica limits with its
 * own in-process buckets (fail open, still bounded) and says so once in its log.
 */
final class RedisBuckets implements Buckets, DisposableBean {

	private static final Log logger = LogFactory.getLog(RedisBuckets.class);

	static final String KEY_PREFIX = "boardcast:rate:";

	/** How long a failed connection attempt is remembered before the next one. */
	private static final Duration RECONNECT_AFTER = Duration.ofSeconds(5);

	private final AbstractRedisClient client;

	private final Duration timeout;

	private final Optimization optimization;

	private final Buckets fallback;

	private final Mono<AsyncProxyManager<byte[]>> manager;

	private final AtomicReference<StatefulConnection<byte[], byte[]>> connection = new AtomicReference<>();

	/**
	 * The proxies, kept because an optimized proxy holds this replica's view of its
	 * bucket between synchronizations.
	 */
	private final Cache<String, AsyncBucketProxy> proxies = Caffeine.newBuilder()
		.expireAfterAccess(Duration.ofMinutes(10))
		.maximumSize(100_000)
		.build();

	private final AtomicBoolean degraded = new AtomicBoolean();

	/**
	 * @param client Spring's Lettuce client (its options: reconnect, fail fast while
	 * disconnected)
	 * @param timeout the longest a request waits for Redis before the in-process fallback
	 * @param optimization how often a replica synchronizes a bucket with Redis
	 * @param fallback the in-process buckets used while Redis is away
	 */
	RedisBuckets(AbstractRedisClient client, Duration timeout, Optimization optimization, Buckets fallback) {
		this.client = client;
		this.timeout = timeout;
		this.optimization = optimization;
		this.fallback = fallback;
		// Connected lazily and off the event loop (Lettuce connects blocking); a failed
		// attempt is retried at most every RECONNECT_AFTER, and the app starts without
		// Redis.
		this.manager = Mono.fromCallable(this::connect)
			.subscribeOn(Schedulers.boundedElastic())
			.cache((connected) -> Duration.ofMillis(Long.MAX_VALUE), (ex) -> RECONNECT_AFTER, () -> Duration.ZERO);
		this.manager.subscribe((connected) -> {
		}, this::unavailable);
	}

	@Override
	public Mono<ConsumptionProbe> tryConsume(String key, Budget budget) {
		return this.manager.timeout(this.timeout)
			.flatMap((manager) -> Mono.fromFuture(() -> proxy(manager, key, budget).tryConsumeAndReturnRemaining(1),
					true))
			.doOnNext((probe) -> available())
			.onErrorResume((ex) -> {
				unavailable(ex);
				return this.fallback.tryConsume(key, budget);
			});
	}

	@Override
	public Mono<Void> charge(String key, Budget budget, long tokens) {
		return this.manager.timeout(this.timeout)
			.flatMap((manager) -> Mono.fromFuture(() -> proxy(manager, key, budget).consumeIgnoringRateLimits(tokens),
					true))
			.doOnNext((penalty) -> available())
			.then()
			.onErrorResume((ex) -> {
				unavailable(ex);
				return this.fallback.charge(key, budget, tokens);
			});
	}

	private AsyncBucketProxy proxy(AsyncProxyManager<byte[]> manager, String key, Budget budget) {
		return this.proxies.get(key,
				(k) -> manager.builder()
					.withOptimization(this.optimization)
					.build((KEY_PREFIX + k).getBytes(StandardCharsets.UTF_8),
							() -> CompletableFuture.completedFuture(budget.configuration())));
	}

	private AsyncProxyManager<byte[]> connect() {
		Bucket4jLettuce.LettuceBasedProxyManagerBuilder<byte[]> builder;
		if (this.client instanceof RedisClusterClient cluster) {
			StatefulRedisClusterConnection<byte[], byte[]> connected = cluster.connect(ByteArrayCodec.INSTANCE);
			this.connection.set(connected);
			builder = Bucket4jLettuce.casBasedBuilder(connected);
		}
		else {
			StatefulRedisConnection<byte[], byte[]> connected = ((RedisClient) this.client)
				.connect(ByteArrayCodec.INSTANCE);
			this.connection.set(connected);
			builder = Bucket4jLettuce.casBasedBuilder(connected);
		}
		// A bucket's key expires once the bucket would be full again (plus a margin): an
		// idle caller leaves nothing behind, and a missing key means a full bucket.
		return builder
			.expirationAfterWrite(
					ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(Duration.ofSeconds(10)))
			.requestTimeout(this.timeout)
			.build()
			.asAsync();
	}

	private void available() {
		if (this.degraded.compareAndSet(true, false)) {
			logger.info("Rate limiting is shared through Redis again");
		}
	}

	private void unavailable(Throwable ex) {
		if (this.degraded.compareAndSet(false, true)) {
			logger.warn("Redis is unavailable for rate limiting; until it is back, this replica limits "
					+ "with its own in-process buckets: " + ex);
		}
	}

	@Override
	public void destroy() {
		StatefulConnection<byte[], byte[]> connected = this.connection.get();
		if (connected != null) {
			connected.closeAsync();
		}
	}

}
