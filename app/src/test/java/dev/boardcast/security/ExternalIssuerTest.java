package dev.boardcast.security;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.Stream;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.boardcast.BoardcastApplication;
import dev.boardcast.support.FailingField;
import dev.boardcast.support.TestServices;
import dev.boardcast.support.WsClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.boot.security.oauth2.server.resource.autoconfigure.OAuth2ResourceServerProperties;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.MediaType;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.JwtValidationException;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * With an external issuer configured, the development issuer is off and only that
 * issuer's tokens are accepted: signed with a key of its JWK set and an allowed
 * algorithm, with its {@code iss}, an allowed {@code aud}, and {@code exp} / {@code nbf}
 * within the clock skew. The issuer is played by the test: it serves an OpenID discovery
 * document and a JWK set (an RSA and an EC key) over HTTP, as an identity provider would.
 * Every refused token gets HTTP 401 with
 * {@code WWW-Authenticate: Bearer error="invalid_token"} and no data, and closes a
 * graphql-ws connection with 4401 before any data. No token ever reaches the log.
 */
@ExtendWith(OutputCaptureExtension.class)
class ExternalIssuerTest {

	static final String AUDIENCE = "boardcast-api";

	static RSAKey rsa;

	static ECKey ec;

	static DisposableServer idp;

	static String issuer;

	static final AtomicInteger jwksRequests = new AtomicInteger();

	static ConfigurableApplicationContext app;

	static int port;

	static WebTestClient client;

	@BeforeAll
	static void start() throws Exception {
		rsa = new RSAKeyGenerator(2048).keyID("rsa-1").generate();
		ec = new ECKeyGenerator(Curve.P_256).keyID("ec-1").generate();
		String jwks = new JWKSet(List.of(rsa.toPublicJWK(), ec.toPublicJWK())).toString();
		idp = HttpServer.create()
			.host("127.0.0.1")
			.port(0)
			.route((routes) -> routes
				.get("/.well-known/openid-configuration",
						(request, response) -> response.header("Content-Type", "application/json")
							.sendString(Mono.fromSupplier(
									() -> "{\"issuer\":\"" + issuer + "\",\"jwks_uri\":\"" + issuer + "/jwks\"}")))
				.get("/jwks", (request, response) -> {
					jwksRequests.incrementAndGet();
					return response.header("Content-Type", "application/json").sendString(Mono.just(jwks));
				}))
			.bindNow();
		issuer = "http://127.0.0.1:" + idp.port();
		// Only the issuer URI: the JWK set is found by discovery.
		app = new SpringApplicationBuilder(BoardcastApplication.class, FailingField.class).run("--server.port=0",
				"--spring.security.oauth2.resourceserver.jwt.issuer-uri=" + issuer,
				"--spring.security.oauth2.resourceserver.jwt.audiences=" + AUDIENCE + ",another-api",
				"--boardcast.oidc.client-id=boardcast-web");
		port = ((WebServerApplicationContext) app).getWebServer().getPort();
		client = WebTestClient.bindToServer()
			.baseUrl("http://localhost:" + port)
			.responseTimeout(Duration.ofSeconds(30))
			.build();
	}

	@AfterAll
	static void stop() {
		if (app != null) {
			app.close();
		}
		idp.disposeNow();
	}

	/** The claims of a good token; {@code changes} make it bad. */
	static JWTClaimsSet.Builder claims() {
		Instant now = Instant.now();
		String subject = UUID.randomUUID().toString();
		return new JWTClaimsSet.Builder().issuer(issuer)
			.subject(subject)
			.audience(AUDIENCE)
			.claim("preferred_username", "ext_" + subject.substring(0, 8))
			.issueTime(Date.from(now))
			.expirationTime(Date.from(now.plusSeconds(300)));
	}

	static String sign(JWSHeader header, JWTClaimsSet claims, JWSSigner signer) {
		try {
			SignedJWT jwt = new SignedJWT(header, claims);
			jwt.sign(signer);
			return jwt.serialize();
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	static String rs256(Consumer<JWTClaimsSet.Builder> changes) {
		JWTClaimsSet.Builder builder = claims();
		changes.accept(builder);
		try {
			return sign(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(rsa.getKeyID()).build(), builder.build(),
					new RSASSASigner(rsa));
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	static String good() {
		return rs256((claims) -> {
		});
	}

	static String base64(String json) {
		return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
	}

	/** HS256 with a secret anyone can know: the bytes of the issuer's public key. */
	static String hmacWithPublicKey(byte[] secret) {
		try {
			return sign(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(rsa.getKeyID()).build(), claims().build(),
					new MACSigner(secret));
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** A genuine development token, signed with the development key in the database. */
	static String devToken() throws Exception {
		TestServices.Postgres db = TestServices.postgres();
		byte[] secret;
		try (Connection connection = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
				ResultSet rows = connection.createStatement()
					.executeQuery("SELECT secret FROM dev_signing_key WHERE id = 1")) {
			if (!rows.next()) {
				// no development issuer ran on this database yet: make one as it would
				secret = new byte[32];
				new java.security.SecureRandom().nextBytes(secret);
			}
			else {
				secret = rows.getBytes(1);
			}
		}
		Instant now = Instant.now();
		return sign(new JWSHeader(JWSAlgorithm.HS256),
				new JWTClaimsSet.Builder().issuer(DevIssuer.ISSUER)
					.subject(UUID.randomUUID().toString())
					.audience(DevIssuer.AUDIENCE)
					.expirationTime(Date.from(now.plusSeconds(300)))
					.build(),
				new MACSigner(secret));
	}

	static Stream<Arguments> badTokens() throws Exception {
		RSAKey impostor = new RSAKeyGenerator(2048).keyID(rsa.getKeyID()).generate();
		RSAKey stranger = new RSAKeyGenerator(2048).keyID("unknown-kid").generate();
		String goodToken = good();
		String[] parts = goodToken.split("\\.");
		String tamperedPayload = base64(claims().subject("someone-else").build().toString());
		Instant now = Instant.now();
		List<Arguments> tokens = new ArrayList<>();
		tokens.add(Arguments.of("expired beyond the clock skew", rs256(
				(c) -> c.issueTime(Date.from(now.minusSeconds(300))).expirationTime(Date.from(now.minusSeconds(90))))));
		tokens.add(Arguments.of("not valid yet beyond the clock skew",
				rs256((c) -> c.notBeforeTime(Date.from(now.plusSeconds(90))))));
		tokens.add(Arguments.of("without exp", rs256((c) -> c.expirationTime(null))));
		tokens.add(Arguments.of("signed by another key with the issuer's kid",
				sign(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(rsa.getKeyID()).build(), claims().build(),
						new RSASSASigner(impostor))));
		tokens.add(Arguments.of("of another issuer", rs256((c) -> c.issuer("https://evil.example.test"))));
		tokens.add(Arguments.of("with the issuer plus a trailing slash", rs256((c) -> c.issuer(issuer + "/"))));
		tokens.add(Arguments.of("for another audience", rs256((c) -> c.audience("someone-elses-api"))));
		tokens.add(Arguments.of("without audience", rs256((c) -> c.audience((String) null))));
		tokens.add(Arguments.of("with an unknown kid",
				sign(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("unknown-kid").build(), claims().build(),
						new RSASSASigner(stranger))));
		tokens.add(Arguments.of("with alg none", base64("{\"alg\":\"none\"}") + "." + parts[1] + "."));
		tokens.add(Arguments.of("with alg none and the real signature",
				base64("{\"alg\":\"none\",\"kid\":\"rsa-1\"}") + "." + parts[1] + "." + parts[2]));
		tokens.add(Arguments.of("HS256 keyed with the public key (DER)",
				hmacWithPublicKey(rsa.toRSAPublicKey().getEncoded())));
		tokens.add(Arguments.of("HS256 keyed with the public key (JWK JSON)",
				hmacWithPublicKey(rsa.toPublicJWK().toJSONString().getBytes(StandardCharsets.UTF_8))));
		tokens.add(Arguments.of("HS256 keyed with the public key (PEM)",
				hmacWithPublicKey(("-----BEGIN PUBLIC KEY-----\n"
						+ Base64.getMimeEncoder().encodeToString(rsa.toRSAPublicKey().getEncoded())
						+ "\n-----END PUBLIC KEY-----\n")
					.getBytes(StandardCharsets.UTF_8))));
		tokens.add(Arguments.of("with an algorithm outside the allow-list (RS384)",
				sign(new JWSHeader.Builder(JWSAlgorithm.RS384).keyID(rsa.getKeyID()).build(), claims().build(),
						new RSASSASigner(rsa))));
		tokens.add(Arguments.of("with a tampered payload", parts[0] + "." + tamperedPayload + "." + parts[2]));
		tokens.add(Arguments.of("with its signature cut off", parts[0] + "." + parts[1] + "."));
		tokens.add(Arguments.of("of an unexpected type",
				sign(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(rsa.getKeyID())
					.type(new JOSEObjectType("logout+jwt"))
					.build(), claims().build(), new RSASSASigner(rsa))));
		tokens.add(Arguments.of("of the development issuer, with its real key", devToken()));
		tokens.add(Arguments.of("garbage", "not.a.jwt"));
		tokens.add(Arguments.of("garbage without dots", "x".repeat(500)));
		tokens.add(Arguments.of("garbage that decodes to JSON with quotes",
				base64("{\"alg\":\"RS256\",\"kid\":\"\\\"\\r\\nX-Injected: yes\"}") + "." + parts[1] + "." + parts[2]));
		return tokens.stream();
	}

	WebTestClient.ResponseSpec query(String authorization) {
		WebTestClient.RequestBodySpec request = client.post().uri("/graphql").contentType(MediaType.APPLICATION_JSON);
		if (authorization != null) {
			request = request.header("Authorization", authorization);
		}
		return request.bodyValue(Map.of("query", "{ me { id handle } }")).exchange();
	}

	@ParameterizedTest(name = "a token {0} is refused")
	@MethodSource("badTokens")
	void badTokensGet401InvalidTokenOverHttpAnd4401OverWebSocket(String name, String token) {
		query("Bearer " + token).expectStatus()
			.isUnauthorized()
			.expectHeader()
			.valueMatches("WWW-Authenticate", "Bearer error=\"invalid_token\".*")
			.expectBody()
			.isEmpty();
		try (WsClient socket = WsClient.connect(port)) {
			socket.send(Map.of("type", "connection_init", "payload", Map.of("Authorization", "Bearer " + token)));
			assertThat(socket.closeCode(Duration.ofSeconds(10))).isEqualTo(4401);
			assertThat(socket.pending()).isZero();
		}
	}

	@Test
	void aMissingTokenGets401WithAPlainBearerChallenge() {
		query(null).expectStatus().isUnauthorized().expectHeader().valueEquals("WWW-Authenticate", "Bearer");
		// a token in the URL is never read
		client.post()
			.uri("/graphql?access_token=" + good())
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("query", "{ me { id } }"))
			.exchange()
			.expectStatus()
			.isUnauthorized()
			.expectHeader()
			.valueEquals("WWW-Authenticate", "Bearer");
	}

	@Test
	void tokensOfTheIssuerAreAcceptedAndUsersCreatedOnFirstSight() {
		JWTClaimsSet claims = claims().build();
		String token = sign(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(rsa.getKeyID()).build(), claims,
				rsaSigner());
		client.post()
			.uri("/graphql")
			.header("Authorization", "Bearer " + token)
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("query", "{ me { handle } }"))
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.data.me.handle")
			.isEqualTo(claims.getClaim("preferred_username"));
		try (WsClient socket = WsClient.connect(port)) {
			socket.init(token);
		}
	}

	static RSASSASigner rsaSigner() {
		try {
			return new RSASSASigner(rsa);
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	static Stream<Arguments> goodTokens() throws Exception {
		Instant now = Instant.now();
		return Stream.of(
				Arguments.of("ES256 with the EC key",
						sign(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(ec.getKeyID()).build(), claims().build(),
								new ECDSASigner(ec))),
				Arguments.of("expired, but within the 30 s clock skew",
						rs256((c) -> c.issueTime(Date.from(now.minusSeconds(300)))
							.expirationTime(Date.from(now.minusSeconds(10))))),
				Arguments.of("not valid for another 10 s, within the clock skew",
						rs256((c) -> c.notBeforeTime(Date.from(now.plusSeconds(10))))),
				Arguments.of("for several audiences, one of them ours",
						rs256((c) -> c.audience(List.of("someone-elses-api", "another-api")))),
				Arguments.of("typed as an RFC 9068 access token",
						sign(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(rsa.getKeyID())
							.type(new JOSEObjectType("at+jwt"))
							.build(), claims().build(), rsaSigner())));
	}

	@ParameterizedTest(name = "a token {0} is accepted")
	@MethodSource("goodTokens")
	void tokensWithinTheRulesAreAccepted(String name, String token) {
		query("Bearer " + token).expectHeader()
			.doesNotExist("WWW-Authenticate")
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.data.me.id")
			.isNotEmpty();
	}

	@Test
	void madeUpKeyIdsDoNotMakeTheServerFetchTheJwkSetEachTime() throws Exception {
		query("Bearer " + good()).expectStatus().isOk();
		int before = jwksRequests.get();
		for (int i = 0; i < 20; i++) {
			RSAKey made = new RSAKeyGenerator(2048).keyID("made-up-" + i).generate();
			query("Bearer " + sign(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(made.getKeyID()).build(),
					claims().build(), new RSASSASigner(made)))
				.expectStatus()
				.isUnauthorized();
		}
		// at most one refresh per 30 s, whatever the number of unknown kids
		assertThat(jwksRequests.get() - before).isLessThanOrEqualTo(1);
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
			.jsonPath("$.issuer")
			.isEqualTo(issuer)
			.jsonPath("$.clientId")
			.isEqualTo("boardcast-web");
	}

	/**
	 * The loggers of the paths a token takes, at the most talkative level an operator
	 * might turn on (levels are global to the JVM, so they are set here, not at start).
	 */
	static final Map<String, LogLevel> VERBOSE = Map.of("org.springframework.security", LogLevel.DEBUG,
			"org.springframework.web", LogLevel.DEBUG, "org.springframework.graphql", LogLevel.DEBUG,
			"org.springframework.http.codec", LogLevel.TRACE, "org.springframework.web.reactive.socket", LogLevel.TRACE,
			"reactor.netty.http.server", LogLevel.DEBUG, "dev.boardcast", LogLevel.DEBUG);

	@Test
	void tokensNeverReachTheLog(CapturedOutput output) throws Exception {
		LoggingSystem logging = LoggingSystem.get(getClass().getClassLoader());
		VERBOSE.forEach(logging::setLogLevel);
		try {
			useTokensEverywhere(output);
		}
		finally {
			VERBOSE.keySet().forEach((logger) -> logging.setLogLevel(logger, null));
		}
	}

	private void useTokensEverywhere(CapturedOutput output) throws Exception {
		List<String> tokens = new ArrayList<>();
		badTokens().forEach((arguments) -> tokens.add((String) arguments.get()[1]));
		for (String token : tokens) {
			query("Bearer " + token).expectStatus().isUnauthorized();
			try (WsClient socket = WsClient.connect(port)) {
				socket.send(Map.of("type", "connection_init", "payload", Map.of("Authorization", "Bearer " + token)));
				socket.closeCode(Duration.ofSeconds(10));
			}
		}
		String token = good();
		tokens.add(token);
		query("Bearer " + token).expectStatus().isOk();
		try (WsClient socket = WsClient.connect(port).init(token)) {
			socket.subscribe("1", "subscription($b: ID!) { boardChanged(boardId: $b) { seq } }",
					Map.of("b", UUID.randomUUID().toString()));
			socket.next();
		}
		// an unexpected failure is logged (with its stack trace) while the token is in
		// use
		client.post()
			.uri("/graphql")
			.header("Authorization", "Bearer " + token)
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("query", "query($id: ID!) { board(id: $id) { id } }", "variables",
					Map.of("id", FailingField.BOOM)))
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.errors[0].extensions.code")
			.isEqualTo("INTERNAL");
		// the DEBUG logs of the paths the token takes were on
		assertThat(output.getAll()).contains("Unexpected error", FailingField.SECRET_DETAIL, "Authentication failed",
				"Executing: ", "HTTP POST \"/graphql\"");
		for (String used : tokens) {
			String[] parts = used.split("\\.");
			assertThat(output.getAll()).doesNotContain(used);
			for (String part : parts) {
				if (part.length() >= 16) {
					assertThat(output.getAll()).as("a part of a token").doesNotContain(part);
				}
			}
		}
	}

	@Test
	void withAJwkSetUriTooTheKeysComeFromThereAndTheIssuerIsStillChecked() {
		OAuth2ResourceServerProperties.Jwt settings = new OAuth2ResourceServerProperties().getJwt();
		settings.setIssuerUri(issuer);
		settings.setJwkSetUri(issuer + "/jwks");
		settings.setJwsAlgorithms(List.of("RS256"));
		ReactiveJwtDecoder decoder = ExternalIssuer.decoder(settings, Duration.ofSeconds(30), WebClient.create());
		assertThat(decoder.decode(good()).block().getIssuer()).hasToString(issuer);
		assertThatThrownBy(() -> decoder.decode(rs256((c) -> c.issuer("https://evil.example.test"))).block())
			.isInstanceOf(JwtValidationException.class)
			.hasMessageContaining("iss");
		// ES256 is not in this allow-list
		assertThatThrownBy(() -> decoder
			.decode(sign(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(ec.getKeyID()).build(), claims().build(),
					new ECDSASigner(ec)))
			.block()).isInstanceOf(BadJwtException.class);
	}

	@Test
	void aJwkSetUriWithoutAnIssuerStopsTheStartWithAClearMessage() {
		assertThatThrownBy(() -> new SpringApplicationBuilder(BoardcastApplication.class).run("--server.port=0",
				"--spring.security.oauth2.resourceserver.jwt.jwk-set-uri=" + issuer + "/jwks"))
			.rootCause()
			.hasMessageContaining("spring.security.oauth2.resourceserver.jwt.issuer-uri")
			.hasMessageContaining("SPRING_SECURITY_OAUTH2_RESOURCESERVER_JWT_ISSUER_URI");
	}

	@Test
	void anHmacAlgorithmInTheAllowListStopsTheStart() {
		assertThatThrownBy(() -> new SpringApplicationBuilder(BoardcastApplication.class).run("--server.port=0",
				"--spring.security.oauth2.resourceserver.jwt.issuer-uri=" + issuer,
				"--spring.security.oauth2.resourceserver.jwt.jws-algorithms=RS256,HS256"))
			.rootCause()
			.hasMessageContaining("asymmetric")
			.hasMessageContaining("HS256");
	}

}
