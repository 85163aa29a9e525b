package dev.boardcast.security;

import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.UUID;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.boardcast.BoardcastApplication;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * With an external issuer configured, the development issuer is off and only that
 * issuer's tokens, signed with a key of its JWK set, are accepted. The JWK set is served
 * over HTTP by the test, as an identity provider would.
 */
class ExternalIssuerTest {

	static RSAKey key;

	static DisposableServer jwks;

	static ConfigurableApplicationContext app;

	static WebTestClient client;

	static final String ISSUER = "https://login.example.test";

	@BeforeAll
	static void start() throws Exception {
		key = new RSAKeyGenerator(2048).keyID("test-key").generate();
		String body = new JWKSet(key.toPublicJWK()).toString();
		jwks = HttpServer.create()
			.host("127.0.0.1")
			.port(0)
			.route((routes) -> routes.get("/jwks",
					(request, response) -> response.header("Content-Type", "application/json")
						.sendString(Mono.just(body))))
			.bindNow();
		app = new SpringApplicationBuilder(BoardcastApplication.class).run("--server.port=0",
				"--spring.security.oauth2.resourceserver.jwt.jwk-set-uri=http://127.0.0.1:" + jwks.port() + "/jwks",
				"--boardcast.oidc.client-id=boardcast-web");
		client = WebTestClient.bindToServer()
			.baseUrl("http://localhost:" + ((WebServerApplicationContext) app).getWebServer().getPort())
			.build();
	}

	@AfterAll
	static void stop() {
		app.close();
		jwks.disposeNow();
	}

	static String token(RSAKey signer, String subject) throws Exception {
		Instant now = Instant.now();
		SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(signer.getKeyID()).build(),
				new JWTClaimsSet.Builder().issuer(ISSUER)
					.subject(subject)
					.claim("preferred_username", "ext_" + subject.substring(0, 8))
					.issueTime(Date.from(now))
					.expirationTime(Date.from(now.plusSeconds(300)))
					.build());
		jwt.sign(new RSASSASigner(signer));
		return jwt.serialize();
	}

	@Test
	void theDevelopmentIssuerIsOff() {
		client.post()
			.uri("/dev/token")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("handle", "alice"))
			.exchange()
			.expectStatus()
			.isNotFound();
		client.get()
			.uri("/auth/config")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.mode")
			.isEqualTo("oidc")
			.jsonPath("$.clientId")
			.isEqualTo("boardcast-web");
	}

	@Test
	void tokensOfTheIssuerAreAcceptedAndUsersCreatedOnFirstSight() throws Exception {
		String subject = UUID.randomUUID().toString();
		client.post()
			.uri("/graphql")
			.header("Authorization", "Bearer " + token(key, subject))
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("query", "{ me { handle } }"))
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.data.me.handle")
			.isEqualTo("ext_" + subject.substring(0, 8));
	}

	@Test
	void tokensSignedWithAnotherKeyAreRefused() throws Exception {
		RSAKey impostor = new RSAKeyGenerator(2048).keyID("test-key").generate();
		client.post()
			.uri("/graphql")
			.header("Authorization", "Bearer " + token(impostor, UUID.randomUUID().toString()))
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("query", "{ me { handle } }"))
			.exchange()
			.expectStatus()
			.isUnauthorized()
			.expectHeader()
			.valueMatches("WWW-Authenticate", "Bearer.*invalid_token.*");
	}

}
