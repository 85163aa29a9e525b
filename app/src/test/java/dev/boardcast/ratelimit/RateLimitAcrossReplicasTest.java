package dev.boardcast.ratelimit;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import dev.boardcast.BoardcastApplication;
import dev.boardcast.support.Api;
import dev.boardcast.support.TestServices;
import dev.boardcast.support.WsClient;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.web.reactive.server.EntityExchangeResult;

import static dev.boardcast.ratelimit.Calls.assertRateLimited;
import static dev.boardcast.ratelimit.Calls.ok;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Rate limits with small budgets on two replicas sharing the test Redis: one user's
 * budget is one, whichever replica serves them.
 */
class RateLimitAcrossReplicasTest {

	static final int CAPACITY = 20;

	static final double REFILL_PER_SECOND = 0.5;

	static final int MAX_UNSYNCED_TOKENS = 2;

	static final AtomicInteger handles = new AtomicInteger();

	static ConfigurableApplicationContext replicaA;

	static ConfigurableApplicationContext replicaB;

	static Calls a;

	static Calls b;

	static Api apiA;

	@BeforeAll
	static void startReplicas() {
		replicaA = replica();
		replicaB = replica();
		a = new Calls(port(replicaA));
		b = new Calls(port(replicaB));
		apiA = new Api(port(replicaA));
	}

	static ConfigurableApplicationContext replica() {
		return new SpringApplicationBuilder(BoardcastApplication.class).run("--server.port=0",
				"--boardcast.rate-limit.capacity=" + CAPACITY,
				"--boardcast.rate-limit.refill-per-second=" + REFILL_PER_SECOND,
				"--boardcast.rate-limit.max-unsynced-tokens=" + MAX_UNSYNCED_TOKENS);
	}

	static int port(ConfigurableApplicationContext replica) {
		return ((WebServerApplicationContext) replica).getWebServer().getPort();
	}

	@AfterAll
	static void stopReplicas() {
		replicaA.close();
		replicaB.close();
	}

	/**
	 * A token for a new user; /dev/token takes nothing from the user's own bucket.
	 */
	static String token(String prefix) {
		return apiA
			.token(prefix + "_" + handles.incrementAndGet() + "_" + Long.toString(System.nanoTime() % 100000, 36));
	}

	/** Sends queries until one is refused; the refusal's Retry-After. */
	@SuppressWarnings("rawtypes")
	static long exhaust(Calls replica, String token) {
		for (int i = 0; i < 3 * CAPACITY; i++) {
			EntityExchangeResult<Map> result = replica.me(token);
			if (!ok(result)) {
				return assertRateLimited(result);
			}
		}
		throw new AssertionError("never refused in " + (3 * CAPACITY) + " requests");
	}

	@Test
	@SuppressWarnings({ "rawtypes", "unchecked" })
	void aUserOverTheLimitGets429WithRetryAfterAndNothingChangesWhileOthersGoOn() {
		long start = System.nanoTime();
		String alice = token("alice");
		Api.Client bob = apiA.newUser("bob");
		String board = (String) ((Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>) a
			.graphql(alice, "mutation($i: CreateBoardInput!) { createBoard(input: $i) { board { id } } }",
					Map.of("i", Map.of("name", "Limited")))
			.getResponseBody()
			.get("data")).get("createBoard")).get("board")).get("id");
		assertThat(ok(
				a.graphql(alice, "mutation($i: AddBoardMemberInput!) { addBoardMember(input: $i) { member { role } } }",
						Map.of("i", Map.of("boardId", board, "handle", bob.handle(), "role", "VIEWER")))))
			.isTrue();
		int created = 0;
		EntityExchangeResult<Map> refused = null;
		for (int i = 0; i < 3 * CAPACITY && refused == null; i++) {
			EntityExchangeResult<Map> result = a.graphql(alice,
					"mutation($i: CreateColumnInput!) { createColumn(input: $i) { column { id } } }",
					Map.of("i", Map.of("boardId", board, "name", "Column " + i)));
			if (ok(result)) {
				created++;
			}
			else {
				refused = result;
			}
		}
		assertThat(refused).as("a refusal within %d requests", 3 * CAPACITY).isNotNull();
		assertRateLimited(refused);
		// Bob, at the same time, is served; he sees that the refused mutation changed
		// nothing: the board counted exactly its creation, bob's membership and the
		// columns that were created.
		bob.graphql()
			.document("query($b: ID!) { board(id: $b) { lastSeq columns { name } } }")
			.variable("b", board)
			.execute()
			.path("board.lastSeq")
			.entity(Integer.class)
			.isEqualTo(2 + created)
			.path("board.columns")
			.entityList(Object.class)
			.hasSize(created);
		// the refusal came once the burst (and what refilled meanwhile) was spent
		int refilled = (int) Math.ceil((System.nanoTime() - start) / 1e9 * REFILL_PER_SECOND);
		assertThat(created + 2).isBetween(CAPACITY, CAPACITY + refilled);
	}

	@Test
	void oneUsersBudgetIsSharedByBothReplicasNotDoubled() {
		String carol = token("carol");
		long start = System.nanoTime();
		int allowed = 0;
		for (int i = 0; i < 3 * CAPACITY; i++) {
			EntityExchangeResult<?> result = ((i % 2 == 0) ? a : b).me(carol);
			if (result.getStatus().value() == 200) {
				allowed++;
			}
			else {
				assertThat(result.getStatus().value()).isEqualTo(429);
			}
		}
		double seconds = (System.nanoTime() - start) / 1e9;
		// Each replica may hand out MAX_UNSYNCED_TOKENS from its own copy of the bucket
		// before it synchronizes, and the bucket refills while the test runs.
		int refilled = (int) Math.ceil(seconds * REFILL_PER_SECOND);
		assertThat(allowed).isBetween(CAPACITY, CAPACITY + 2 * MAX_UNSYNCED_TOKENS + refilled);
		assertThat(allowed).isLessThan(2 * CAPACITY);
	}

	@Test
	void theLimitRecoversAfterRetryAfter() {
		String dave = token("dave");
		long retryAfter = exhaust(a, dave);
		// one token comes back every 1 / REFILL_PER_SECOND seconds
		assertThat(retryAfter).isBetween(1L, (long) Math.ceil(1 / REFILL_PER_SECOND));
		Calls.sleep(Duration.ofSeconds(retryAfter).plusMillis(100));
		assertThat(ok(a.me(dave))).as("served after Retry-After").isTrue();
	}

	@Test
	@SuppressWarnings("unchecked")
	void aSubscribeOverTheLimitGetsRateLimitedAndTheSocketStaysUsable() {
		Api.Client erin = apiA.newUser("erin");
		Api.Client frank = apiA.newUser("frank");
		String board = dev.boardcast.support.Fixtures.board(erin, "Watched");
		String firstCursor = erin.graphql()
			.document("query($b: ID!) { boardEvents(boardId: $b) { nodes { cursor } } }")
			.variable("b", board)
			.execute()
			.path("boardEvents.nodes[0].cursor")
			.entity(String.class)
			.get();
		dev.boardcast.support.Fixtures.member(erin, board, frank, "VIEWER");
		String subscription = "subscription($b: ID!, $a: String) { boardChanged(boardId: $b, after: $a) { seq } }";
		try (WsClient socket = WsClient.connect(port(replicaA)).init(erin.token())) {
			long retryAfter = exhaust(a, erin.token());
			socket.subscribe("1", subscription, Map.of("b", board, "a", firstCursor));
			Map<String, Object> refused = socket.next();
			assertThat(refused).containsEntry("type", "error").containsEntry("id", "1");
			Map<String, Object> error = ((List<Map<String, Object>>) refused.get("payload")).get(0);
			Map<String, Object> extensions = (Map<String, Object>) error.get("extensions");
			assertThat(extensions).containsEntry("code", "RATE_LIMITED");
			assertThat(((Number) extensions.get("retryAfterSeconds")).longValue()).isPositive();
			// the connection stays open and usable
			socket.send(Map.of("type", "ping"));
			assertThat(socket.next()).containsEntry("type", "pong");
			Calls.sleep(
					Duration.ofSeconds(Math.max(retryAfter, ((Number) extensions.get("retryAfterSeconds")).longValue()))
						.plusMillis(100));
			socket.subscribe("2", subscription, Map.of("b", board, "a", firstCursor));
			Map<String, Object> replayed = socket.next();
			assertThat(replayed).containsEntry("type", "next").containsEntry("id", "2");
			assertThat(socket.isClosed()).isFalse();
		}
	}

	@Test
	@SuppressWarnings("unchecked")
	void bucketsInRedisExpireSoIdleUsersLeaveNothingBehind() {
		String grace = token("grace");
		String id = (String) ((Map<String, Object>) ((Map<String, Object>) a.me(grace).getResponseBody().get("data"))
			.get("me")).get("id");
		long ttl = redis((commands) -> commands.pttl(RedisBuckets.KEY_PREFIX + "user:" + id));
		// the time an empty bucket takes to be full again, plus a 10 s margin
		assertThat(ttl).isPositive().isLessThanOrEqualTo((long) (CAPACITY / REFILL_PER_SECOND * 1000) + 10_000);
	}

	@Test
	@SuppressWarnings({ "rawtypes", "unchecked" })
	void withRedisDownEachReplicaKeepsServingWithItsOwnBucketsUntilRedisIsBack() {
		String henry = token("henry");
		int allowed = 0;
		boolean refused = false;
		long start = System.nanoTime();
		TestServices.redis().stop();
		try {
			for (int i = 0; i < 3 * CAPACITY && !refused; i++) {
				EntityExchangeResult<Map> result = a.me(henry);
				if (ok(result)) {
					allowed++;
				}
				else {
					assertRateLimited(result);
					refused = true;
				}
			}
		}
		finally {
			TestServices.redis().start();
		}
		double seconds = (System.nanoTime() - start) / 1e9;
		// Fail open, yet bounded: the replica's in-process bucket of the same size.
		assertThat(refused).isTrue();
		assertThat(allowed).isBetween(CAPACITY, CAPACITY + (int) Math.ceil(seconds * REFILL_PER_SECOND));
		// Once Redis is back, buckets are shared through it again (by itself).
		String ivy = token("ivy");
		String ivyId = (String) ((Map<String, Object>) ((Map<String, Object>) a.me(ivy).getResponseBody().get("data"))
			.get("me")).get("id");
		long keys = 0;
		for (int i = 0; i < 100 && keys == 0; i++) {
			assertThat(ok(a.me(ivy))).isTrue();
			keys = redis((commands) -> commands.exists(RedisBuckets.KEY_PREFIX + "user:" + ivyId));
			if (keys == 0) {
				Calls.sleep(Duration.ofMillis(200));
			}
		}
		assertThat(keys).as("ivy's bucket in Redis").isEqualTo(1);
	}

	static long redis(java.util.function.Function<io.lettuce.core.api.sync.RedisCommands<String, String>, Long> call) {
		RedisClient client = RedisClient.create(TestServices.redis().url());
		try (StatefulRedisConnection<String, String> connection = client.connect()) {
			return call.apply(connection.sync());
		}
		finally {
			client.shutdown();
		}
	}

}
