package dev.boardcast.ratelimit;

import java.time.Duration;

import io.github.bucket4j.distributed.proxy.optimization.DelayParameters;
import io.github.bucket4j.distributed.proxy.optimization.Optimization;
import io.github.bucket4j.distributed.proxy.optimization.Optimizations;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * Rate limits ({@code boardcast.rate-limit.*}): buckets in Redis when Redis is configured
 * ({@code boardcast.redis.enabled}, derived by {@code EventBusDefaults}), in this
 * replica's memory otherwise.
 */
@Configuration(proxyBeanMethods = false)
class RateLimitConfig {

	private static final Log logger = LogFactory.getLog(RateLimitConfig.class);

	/**
	 * The two allowances: per signed-in user, and per remote address for anonymous calls.
	 */
	record Budgets(Budget users, Budget anonymous) {

		/**
		 * Past this, an unused bucket is full again, and forgetting it changes nothing.
		 */
		Duration longestTimeToFull() {
			return (this.users.timeToFull().compareTo(this.anonymous.timeToFull()) > 0) ? this.users.timeToFull()
					: this.anonymous.timeToFull();
		}

	}

	@Bean
	Budgets rateLimitBudgets(@Value("${boardcast.rate-limit.capacity:200}") long capacity,
			@Value("${boardcast.rate-limit.refill-per-second:20}") double refillPerSecond,
			@Value("${boardcast.rate-limit.anonymous.capacity:20}") long anonymousCapacity,
			@Value("${boardcast.rate-limit.anonymous.refill-per-second:0.2}") double anonymousRefillPerSecond) {
		return new Budgets(new Budget("user", capacity, refillPerSecond),
				new Budget("anonymous", anonymousCapacity, anonymousRefillPerSecond));
	}

	@Bean
	@ConditionalOnProperty(name = "boardcast.rate-limit.enabled", havingValue = "true", matchIfMissing = true)
	Buckets rateLimitBuckets(Budgets budgets, @Value("${boardcast.redis.enabled:false}") boolean redis,
			@Value("${boardcast.rate-limit.max-unsynced-tokens:10}") long maxUnsyncedTokens,
			@Value("${boardcast.rate-limit.max-unsynced-time:1s}") Duration maxUnsyncedTime,
			@Value("${boardcast.rate-limit.redis-timeout:1s}") Duration redisTimeout,
			ObjectProvider<LettuceConnectionFactory> connections) {
		LocalBuckets local = new LocalBuckets(budgets.longestTimeToFull(), 100_000);
		if (!redis) {
			return local;
		}
		return new RedisBuckets(connections.getObject().getRequiredNativeClient(), redisTimeout,
				optimization(maxUnsyncedTokens, maxUnsyncedTime), local);
	}

	@Bean
	@ConditionalOnProperty(name = "boardcast.rate-limit.enabled", havingValue = "true", matchIfMissing = true)
	RateLimiter rateLimiter(Buckets buckets, Budgets budgets,
			@Value("${boardcast.rate-limit.objects-per-token:100}") long objectsPerToken, MeterRegistry meters) {
		return new BucketRateLimiter(buckets, budgets.users(), budgets.anonymous(), objectsPerToken, meters);
	}

	/** Each user's line for this replica's cores, for HTTP and graphql-ws alike. */
	@Bean
	InFlight inFlight(@Value("${boardcast.rate-limit.enabled:true}") boolean enabled,
			@Value("${boardcast.rate-limit.concurrent-requests:2}") int concurrentRequests,
			@Value("${boardcast.rate-limit.waiting-requests:16}") int waitingRequests) {
		return new InFlight(enabled ? concurrentRequests : 0, waitingRequests);
	}

	/**
	 * Without rate limits an answer is not counted: it would walk every answer for
	 * nothing.
	 */
	@Bean
	@ConditionalOnProperty(name = "boardcast.rate-limit.enabled", havingValue = "true", matchIfMissing = true)
	AnswerCharges answerCharges(RateLimiter limiter) {
		return new AnswerCharges(limiter);
	}

	@Bean
	@ConditionalOnProperty(name = "boardcast.rate-limit.enabled", havingValue = "false")
	RateLimiter unlimited() {
		logger.warn("Rate limiting is off (boardcast.rate-limit.enabled=false)");
		return new Unlimited();
	}

	/**
	 * Batching always (concurrent requests of one caller on one replica share one Redis
	 * round trip); with {@code maxUnsyncedTokens > 0} also delaying: a replica serves up
	 * to that many tokens from its own copy of the bucket before it synchronizes, so a
	 * busy caller costs one round trip per that many requests, and a caller spread over N
	 * replicas may exceed the burst by at most N times that many tokens (never the
	 * sustained rate: every token is counted in Redis at the next synchronization).
	 */
	static Optimization optimization(long maxUnsyncedTokens, Duration maxUnsyncedTime) {
		if (maxUnsyncedTokens <= 0) {
			return Optimizations.batching();
		}
		return Optimizations.delaying(new DelayParameters(maxUnsyncedTokens, maxUnsyncedTime));
	}

	/** {@code boardcast.rate-limit.enabled=false}. */
	static final class Unlimited implements RateLimiter {

		private static final Mono<Verdict> ALLOWED = Mono.just(Verdict.ALLOWED);

		@Override
		public Mono<Verdict> user(String userId) {
			return ALLOWED;
		}

		@Override
		public Mono<Void> used(String userId, long objects) {
			return Mono.empty();
		}

		@Override
		public Mono<Verdict> anonymous(String address) {
			return ALLOWED;
		}

	}

}
