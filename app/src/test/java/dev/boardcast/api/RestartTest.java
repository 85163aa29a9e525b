package dev.boardcast.api;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import dev.boardcast.BoardcastApplication;
import dev.boardcast.support.Api;
import dev.boardcast.support.Fixtures;
import dev.boardcast.support.TestServices;
import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Whole-app starts: the embedded default keeps its data across restarts, and two replicas
 * on one database accept each other's development tokens.
 */
class RestartTest {

	static ConfigurableApplicationContext start(String... args) {
		return new SpringApplicationBuilder(BoardcastApplication.class).run(args);
	}

	static int port(ConfigurableApplicationContext context) {
		return ((WebServerApplicationContext) context).getWebServer().getPort();
	}

	@Test
	void embeddedDefaultKeepsEverythingAcrossARestart() throws Exception {
		Path dataDir = Files.createTempDirectory("boardcast-restart");
		// An empty database URL means "none configured": the app starts its own embedded
		// PostgreSQL.
		String[] args = { "--server.port=0", "--spring.r2dbc.url=", "--boardcast.data-dir=" + dataDir };
		String board;
		String token;
		try (ConfigurableApplicationContext first = start(args)) {
			Api api = new Api(port(first));
			Api.Client alice = api.signIn("restart_alice");
			token = alice.token();
			board = Fixtures.board(alice, "Survives");
			Fixtures.task(alice, Fixtures.column(alice, board, "Todo"), "Still here");
		}
		assertThat(dataDir.resolve("postgres")).isDirectory();
		try (ConfigurableApplicationContext second = start(args)) {
			Api api = new Api(port(second));
			Api.Client alice = api.signIn("restart_alice");
			alice.graphql()
				.documentName("boardView")
				.variable("id", board)
				.execute()
				.path("board.columns[0].tasks.nodes[0].title")
				.entity(String.class)
				.isEqualTo("Still here");
			// the token of the first run is still good: the key lives in the database
			api.client()
				.post()
				.uri("/graphql")
				.header("Authorization", "Bearer " + token)
				.bodyValue(Map.of("query", "{ me { handle } }"))
				.exchange()
				.expectStatus()
				.isOk()
				.expectBody()
				.jsonPath("$.data.me.handle")
				.isEqualTo("restart_alice");
		}
	}

	@Test
	void replicasOnOneDatabaseAcceptEachOthersDevTokens() {
		String url = "--spring.r2dbc.url=" + TestServices.postgres().r2dbcUrl();
		try (ConfigurableApplicationContext a = start("--server.port=0", url);
				ConfigurableApplicationContext b = start("--server.port=0", url)) {
			Api onA = new Api(port(a));
			Api onB = new Api(port(b));
			Api.Client alice = onA.newUser("replica");
			String board = Fixtures.board(alice, "Shared");
			onB.client()
				.post()
				.uri("/graphql")
				.header("Authorization", "Bearer " + alice.token())
				.bodyValue(Map.of("query", "query($id: ID!) { board(id: $id) { name } }", "variables",
						Map.of("id", board)))
				.exchange()
				.expectStatus()
				.isOk()
				.expectBody()
				.jsonPath("$.data.board.name")
				.isEqualTo("Shared");
			onB.client()
				.post()
				.uri("/graphql")
				.header("Authorization", "Bearer " + alice.token() + "x")
				.bodyValue(Map.of("query", "{ me { id } }"))
				.exchange()
				.expectStatus()
				.isUnauthorized();
		}
	}

}
