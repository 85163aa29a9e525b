package dev.boardcast.config;

import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.observation.ObservationPredicate;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.WebsocketServerSpec;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.ResolvableType;
import org.springframework.core.codec.Decoder;
import org.springframework.core.codec.Hints;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.graphql.server.support.GraphQlWebSocketMessage;
import org.springframework.graphql.server.WebGraphQlHandler;
import org.springframework.graphql.server.webflux.GraphQlWebSocketHandler;
import org.springframework.http.HttpCookie;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.codec.DecoderHttpMessageReader;
import org.springframework.http.codec.ServerCodecConfigurer;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.http.server.reactive.observation.ServerRequestObservationContext;
import org.springframework.util.CollectionUtils;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MimeType;
import org.springframework.util.MultiValueMap;
import org.springframework.util.unit.DataSize;
import org.springframework.web.reactive.config.WebFluxConfigurer;
import org.springframework.web.reactive.socket.CloseStatus;
import org.springframework.web.reactive.socket.WebSocketSession;
import org.springframework.web.reactive.socket.server.WebSocketService;
import org.springframework.web.reactive.socket.server.support.HandshakeWebSocketService;
import org.springframework.web.reactive.socket.server.upgrade.ReactorNettyRequestUpgradeStrategy;

/**
 * The graphql-ws endpoint, with keep-alive pings, a {@code connection_init} timeout, a
 * maximum message size, checked messages (see {@link ValidatingSession}), and graceful
 * shutdown: before the web server stops, every socket is closed with 1001 (going away) so
 * clients reconnect to another replica and resume from their cursor.
 */
@Configuration(proxyBeanMethods = false)
class WebSocketConfig {

	private static final ResolvableType MESSAGE_TYPE = ResolvableType.forClass(GraphQlWebSocketMessage.class);

	@Bean
	ClosingWebSocketHandler graphQlWebSocketHandler(WebGraphQlHandler handler, ServerCodecConfigurer codecs,
			io.micrometer.core.instrument.MeterRegistry meters,
			@Value("${spring.graphql.websocket.connection-init-timeout:10s}") Duration initTimeout,
			@Value("${spring.graphql.websocket.keep-alive:15s}") Duration keepAlive) {
		ClosingWebSocketHandler webSockets = new ClosingWebSocketHandler(handler, quiet(codecs), initTimeout,
				keepAlive);
		meters.gauge("boardcast.websocket.connections", webSockets, ClosingWebSocketHandler::openSockets);
		return webSockets;
	}

	/**
	 * No {@code http.server.requests} observation of a WebSocket's upgrade: it would last
	 * as long as the socket, timing hours as one request in the HTTP latency histogram
	 * and keeping its observation, key values and active-request sample (about 1 KB) for
	 * every open socket. {@code boardcast.websocket.connections} counts the sockets.
	 */
	@Bean
	ObservationPredicate noWebSocketUpgradeObservations() {
		return (name, context) -> !(context instanceof ServerRequestObservationContext request
				&& "websocket".equalsIgnoreCase(request.getCarrier().getHeaders().getUpgrade()));
	}

	/**
	 * The largest message a client may send, in one frame or in fragments: beyond it, the
	 * socket is closed with 1009 (message too big) before the message is read. graphql-ws
	 * messages are small (a subscription document and its variables); mutations go over
	 * HTTP, where the request size has its own limit.
	 */
	@Bean
	WebFluxConfigurer webSocketLimits(@Value("${boardcast.websocket.max-message-size:64KB}") DataSize maxMessageSize) {
		return new WebFluxConfigurer() {
			@Override
			public WebSocketService getWebSocketService() {
				int max = Math.toIntExact(maxMessageSize.toBytes());
				HandshakeWebSocketService handshakes = new HandshakeWebSocketService(
						new ReactorNettyRequestUpgradeStrategy(
								() -> WebsocketServerSpec.builder().maxFramePayloadLength(max)));
				return (exchange, handler) -> handshakes.handleRequest(
						exchange.mutate().request(new HandshakeRequest(exchange.getRequest())).build(), handler);
			}
		};
	}

	/**
	 * The upgrade request as the socket keeps it: only the headers of the handshake
	 * itself, and no cookies. Spring copies the request's headers and cookies into the
	 * session's {@code HandshakeInfo}, which lives as long as the socket, and graphql-ws
	 * asks nothing of them afterwards (the token comes in {@code connection_init}). A
	 * browser sends a kilobyte or more (user agent, languages, cookies) that each open
	 * subscription would otherwise hold. Security, CORS and rate limits have seen the
	 * whole request before this: it applies when the handler upgrades.
	 */
	static final class HandshakeRequest extends ServerHttpRequestDecorator {

		static final List<String> KEPT = List.of(HttpHeaders.HOST, HttpHeaders.UPGRADE, HttpHeaders.CONNECTION,
				HttpHeaders.ORIGIN, "Sec-WebSocket-Key", "Sec-WebSocket-Version", "Sec-WebSocket-Protocol",
				"Sec-WebSocket-Extensions");

		private static final MultiValueMap<String, HttpCookie> NO_COOKIES = CollectionUtils
			.unmodifiableMultiValueMap(new LinkedMultiValueMap<>(0));

		private final HttpHeaders headers;

		HandshakeRequest(ServerHttpRequest request) {
			super(request);
			HttpHeaders all = request.getHeaders();
			HttpHeaders kept = new HttpHeaders();
			for (String name : KEPT) {
				List<String> values = all.get(name);
				if (values != null) {
					kept.addAll(name, values);
				}
			}
			this.headers = HttpHeaders.readOnlyHttpHeaders(kept);
		}

		@Override
		public HttpHeaders getHeaders() {
			return this.headers;
		}

		@Override
		public MultiValueMap<String, HttpCookie> getCookies() {
			return NO_COOKIES;
		}

	}

	/**
	 * The codecs of graphql-ws messages, without the JSON decoder's DEBUG log of every
	 * decoded message: {@code connection_init} carries the bearer token, which must never
	 * reach a log.
	 */
	static ServerCodecConfigurer quiet(ServerCodecConfigurer codecs) {
		@SuppressWarnings("unchecked")
		Decoder<Object> json = (Decoder<Object>) codecs.getReaders()
			.stream()
			.filter((reader) -> reader.canRead(MESSAGE_TYPE, MediaType.APPLICATION_JSON))
			.map((reader) -> ((DecoderHttpMessageReader<?>) reader).getDecoder())
			.findFirst()
			.orElseThrow();
		ServerCodecConfigurer quiet = codecs.clone();
		quiet.customCodecs().register(new QuietDecoder(json));
		return quiet;
	}

	/** Decodes graphql-ws messages with logging suppressed. */
	static final class QuietDecoder implements Decoder<Object> {

		private final Decoder<Object> json;

		QuietDecoder(Decoder<Object> json) {
			this.json = json;
		}

		private static Map<String, Object> quiet(Map<String, Object> hints) {
			return Hints.merge((hints != null) ? hints : Map.of(), Hints.SUPPRESS_LOGGING_HINT, true);
		}

		@Override
		public boolean canDecode(ResolvableType elementType, MimeType mimeType) {
			return GraphQlWebSocketMessage.class.isAssignableFrom(elementType.toClass())
					&& this.json.canDecode(elementType, mimeType);
		}

		@Override
		public Flux<Object> decode(Publisher<DataBuffer> input, ResolvableType elementType, MimeType mimeType,
				Map<String, Object> hints) {
			return this.json.decode(input, elementType, mimeType, quiet(hints));
		}

		@Override
		public Mono<Object> decodeToMono(Publisher<DataBuffer> input, ResolvableType elementType, MimeType mimeType,
				Map<String, Object> hints) {
			return this.json.decodeToMono(input, elementType, mimeType, quiet(hints));
		}

		@Override
		public Object decode(DataBuffer buffer, ResolvableType targetType, MimeType mimeType,
				Map<String, Object> hints) {
			return this.json.decode(buffer, targetType, mimeType, quiet(hints));
		}

		@Override
		public List<MimeType> getDecodableMimeTypes() {
			return this.json.getDecodableMimeTypes();
		}

	}

	/** Tracks open sockets so shutdown can close them. */
	static class ClosingWebSocketHandler extends GraphQlWebSocketHandler implements SmartLifecycle {

		private static final Log logger = LogFactory.getLog(ClosingWebSocketHandler.class);

		private final Set<WebSocketSession> sessions = ConcurrentHashMap.newKeySet();

		private final Duration keepAlive;

		private volatile boolean running;

		ClosingWebSocketHandler(WebGraphQlHandler handler, ServerCodecConfigurer codecs, Duration initTimeout,
				Duration keepAlive) {
			super(handler, codecs, initTimeout, keepAlive);
			this.keepAlive = keepAlive;
		}

		@Override
		public Mono<Void> handle(WebSocketSession session) {
			if (!this.running) {
				return session.close(CloseStatus.GOING_AWAY);
			}
			this.sessions.add(session);
			// for interceptors that close with their own code (security.WebSocketGuard:
			// 4430)
			session.getAttributes().put(WebSocketSession.class.getName(), session);
			return super.handle(new ValidatingSession(session, this.keepAlive))
				.doFinally((signal) -> this.sessions.remove(session));
		}

		/** Open graphql-ws connections on this replica. */
		int openSockets() {
			return this.sessions.size();
		}

		/** The open graphql-ws sessions of this replica, as their handler sees them. */
		Set<WebSocketSession> openSessions() {
			return Collections.unmodifiableSet(this.sessions);
		}

		@Override
		public void start() {
			this.running = true;
		}

		@Override
		public void stop() {
			this.running = false;
			int open = this.sessions.size();
			Flux.fromIterable(this.sessions)
				.flatMap((session) -> session.close(CloseStatus.GOING_AWAY).onErrorResume((ex) -> Mono.empty()))
				.then()
				.block(Duration.ofSeconds(5));
			if (open > 0) {
				logger.info("Closed " + open + " WebSocket connections (1001 going away) for shutdown");
			}
		}

		@Override
		public boolean isRunning() {
			return this.running;
		}

		/**
		 * Stops before the web server's graceful shutdown (which waits for open
		 * requests).
		 */
		@Override
		public int getPhase() {
			return SmartLifecycle.DEFAULT_PHASE;
		}

	}

}
