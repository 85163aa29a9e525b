package dev.boardcast.api;

import java.util.Map;

import dev.boardcast.support.Api;
import dev.boardcast.support.BoardcastTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;

/** POST /graphql follows the GraphQL-over-HTTP spec. */
@BoardcastTest
class GraphQlOverHttpTest {

	static final MediaType GRAPHQL_RESPONSE = MediaType.parseMediaType("application/graphql-response+json");

	@LocalServerPort
	int port;

	Api api;

	Api.Client alice;

	@BeforeEach
	void setUp() {
		this.api = new Api(this.port);
		this.alice = this.api.newUser("http");
	}

	@Test
	void answersWithGraphQlResponseJson() {
		this.api.client()
			.post()
			.uri("/graphql")
			.header("Authorization", this.alice.bearer())
			.contentType(MediaType.APPLICATION_JSON)
			.accept(GRAPHQL_RESPONSE)
			.bodyValue(Map.of("query", "{ me { handle } }"))
			.exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.contentTypeCompatibleWith(GRAPHQL_RESPONSE)
			.expectBody()
			.jsonPath("$.data.me.handle")
			.isEqualTo(this.alice.handle());
	}

	@Test
	void aDocumentThatDoesNotParseIsABadRequest() {
		this.api.client()
			.post()
			.uri("/graphql")
			.header("Authorization", this.alice.bearer())
			.contentType(MediaType.APPLICATION_JSON)
			.accept(GRAPHQL_RESPONSE)
			.bodyValue(Map.of("query", "{ me { handle "))
			.exchange()
			.expectStatus()
			.isBadRequest()
			.expectBody()
			.jsonPath("$.errors[0].extensions.code")
			.isEqualTo("BAD_USER_INPUT")
			.jsonPath("$.data")
			.doesNotExist();
	}

	@Test
	void graphiqlAndHealthAreServed() {
		this.api.client().get().uri("/graphiql").exchange().expectStatus().is3xxRedirection();
		this.api.client()
			.get()
			.uri("/actuator/health")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.status")
			.isEqualTo("UP");
	}

}
