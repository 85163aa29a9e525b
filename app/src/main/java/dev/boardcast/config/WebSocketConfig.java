package dev.boardcast.config;

import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

import dev.boardcast.events.BoardFeeds;
import io.micrometer.context.ContextSnapshotFactory;
import io.micrometer.observation.ObservationPredicate;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.reactivestreams.Publisher;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerResponse;
import reactor.netty.http.server.WebsocketServerSpec;
import reactor.netty.http.websocket.WebsocketInbound;
import reactor.netty.http.websocket.WebsocketOutbound;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.ResolvableType;
import org.springframework.core.codec.Decoder;
import org.springframework.core.codec.Hints;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.NettyDataBufferFactory;
import org.springframework.graphql.server.support.GraphQlWebSocketMessage;
import org.springframework.graphql.server.WebGraphQlHandler;
import org.springframework.graphql.server.WebGraphQlInterceptor;
import org.springframework.graphql.server.WebGraphQlRequest;
import org.springframework.graphql.server.WebGraphQlResponse;
import org.springframework.graphql.server.WebSocketGraphQlInterceptor;
import org.springframework.graphql.server.WebSocketGraphQlRequest;
import org.springframework.graphql.server.webflux.GraphQlWebSocketHandler;
import org.springframework.http.HttpCookie;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.codec.DecoderHttpMessageReader;
import org.springframework.http.codec.ServerCodecConfigurer;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.http.server.reactive.ServerHttpResponseDecorator;
import org.springframework.http.server.reactive.observation.ServerRequestObservationContext;
import org.springframework.util.CollectionUtils;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MimeType;
import org.springframework.util.MultiValueMap;
import org.springframework.util.unit.DataSize;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.reactive.CorsConfigurationSource;
import org.springframework.web.cors.reactive.CorsProcessor;
import org.springframework.web.cors.reactive.DefaultCorsProcessor;
import org.springframework.web.reactive.config.WebFluxConfigurer;
import org.springframework.web.reactive.socket.CloseStatus;
import org.springframework.web.reactive.socket.HandshakeInfo;
import org.springframework.web.reactive.socket.WebSocketHandler;
import org.springframework.web.reactive.socket.WebSocketSession;
import org.springframework.web.reactive.socket.adapter.ReactorNettyWebSocketSession;
import org.springframework.web.reactive.socket.server.RequestUpgradeStrategy;
import org.springframework.web.reactive.socket.server.WebSocketService;
import org.springframework.web.reactive.socket.server.support.HandshakeWebSocketService;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

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
	 * Tells each operation of a graphql-ws socket the socket's event loop
	 * ({@link BoardFeeds#SOCKET_EVENT_LOOP}): a subscription's events are then handed
	 * over on the thread that writes them, not on a delivery thread that passes each to
	 * that loop (one thread hand-over less per event and subscriber).
	 */
	@Bean
	WebGraphQlInterceptor socketEventLoop() {
		return (request, chain) -> {
			if (request instanceof WebSocketGraphQlRequest operation && operation.getSessionInfo()
				.getAttributes()
				.get(WebSocketSession.class.getName()) instanceof NettySocket socket) {
				Executor loop = socket.eventLoop();
				if (loop != null) {
					request.configureExecutionInput((input,
							builder) -> builder.graphQLContext(Map.of(BoardFeeds.SOCKET_EVENT_LOOP, loop)).build());
				}
			}
			return chain.next(request);
		};
	}

	/**
	 * The largest message a client may send, in one frame or in fragments: beyond it, the
	 * socket is closed with 1009 (message too big) before the message is read. graphql-ws
	 * messages are small (a subscription document and its variables); mutations go over
	 * HTTP, where the request size has its own limit.
	 */
	@Bean
	WebSocketService graphQlWebSocketService(
			@Value("${boardcast.websocket.max-message-size:64KB}") DataSize maxMessageSize) {
		return new HandshakeWebSocketService(new LeanUpgrade(Math.toIntExact(maxMessageSize.toBytes())));
	}

	@Bean
	WebFluxConfigurer webSocketServiceConfigurer(WebSocketService graphQlWebSocketService) {
		return new WebFluxConfigurer() {
			@Override
			public WebSocketService getWebSocketService() {
				return graphQlWebSocketService;
			}
		};
	}

	@Bean
	DirectUpgrade directWebSocketUpgrade(WebSocketService graphQlWebSocketService, ClosingWebSocketHandler handler,
			@Qualifier("corsConfigurationSource") CorsConfigurationSource cors,
			@Value("${spring.graphql.websocket.path:/graphql}") String path) {
		return new DirectUpgrade(graphQlWebSocketService, handler, cors, path);
	}

	/**
	 * Upgrades graphql-ws sockets ahead of every other web filter. A socket's upgrade is
	 * a request that lasts as long as the socket, and every filter it passes keeps its
	 * operators, and what they captured, for that long: Spring Security's chain alone
	 * (about fifteen filters, the exchange decorators, the security headers written into
	 * the 101 response) held about 2.7 KiB per open socket. None of them has anything to
	 * do for the upgrade: it needs no authentication (the token comes in
	 * {@code connection_init}), rate limits apply to operations, and security headers
	 * mean nothing on a 101. The one check it needs, the CORS allow-list, is made here
	 * with the same configuration and processor as for HTTP requests: from a browser on
	 * an origin not on the list, the upgrade is refused with 403.
	 */
	static final class DirectUpgrade implements WebFilter, Ordered {

		private final WebSocketService service;

		private final ClosingWebSocketHandler handler;

		private final CorsConfigurationSource cors;

		private final CorsProcessor corsProcessor = new DefaultCorsProcessor();

		private final String path;

		DirectUpgrade(WebSocketService service, ClosingWebSocketHandler handler, CorsConfigurationSource cors,
				String path) {
			this.service = service;
			this.handler = handler;
			this.cors = cors;
			this.path = path;
		}

		@Override
		public int getOrder() {
			return Ordered.HIGHEST_PRECEDENCE;
		}

		@Override
		public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
			ServerHttpRequest request = exchange.getRequest();
			if (request.getMethod() != HttpMethod.GET
					|| !"websocket".equalsIgnoreCase(request.getHeaders().getUpgrade())
					|| !this.path.equals(request.getPath().pathWithinApplication().value())) {
				return chain.filter(exchange);
			}
			CorsConfiguration allowed = this.cors.getCorsConfiguration(exchange);
			if (allowed != null && !this.corsProcessor.process(allowed, exchange)) {
				return Mono.empty();
			}
			return this.service.handleRequest(exchange, this.handler);
		}

	}

	/**
	 * Reactor Netty's upgrade, as Spring's {@code ReactorNettyRequestUpgradeStrategy}
	 * does it, minus what the session would keep for nothing: Spring copies the upgrade
	 * request's headers and cookies into the session's {@code HandshakeInfo}, and adds a
	 * checkpoint with the URI to the handler's stream. graphql-ws asks nothing of the
	 * headers once the socket is open (the token comes in {@code connection_init}); a
	 * browser's (user agent, languages, cookies) are a kilobyte or more.
	 */
	static final class LeanUpgrade implements RequestUpgradeStrategy {

		static final HttpHeaders NO_HEADERS = HttpHeaders.readOnlyHttpHeaders(new HttpHeaders());

		private static final MultiValueMap<String, HttpCookie> NO_COOKIES = CollectionUtils
			.unmodifiableMultiValueMap(new LinkedMultiValueMap<>(0));

		private final int maxFramePayloadLength;

		LeanUpgrade(int maxFramePayloadLength) {
			this.maxFramePayloadLength = maxFramePayloadLength;
		}

		@Override
		public Mono<Void> upgrade(ServerWebExchange exchange, WebSocketHandler handler, String subProtocol,
				Supplier<HandshakeInfo> handshakeInfoFactory) {
			ServerHttpResponse response = exchange.getResponse();
			HttpServerResponse reactorResponse = ServerHttpResponseDecorator.getNativeResponse(response);
			// Not Spring's handshake info: making it copies the headers and parses the
			// cookies, which the request then caches for as long as the socket lives.
			// No session attributes come from the exchange (no attribute predicate is
			// set).
			ServerHttpRequest request = exchange.getRequest();
			HandshakeInfo kept = new HandshakeInfo(request.getURI(), NO_HEADERS, NO_COOKIES, Mono.empty(), subProtocol,
					request.getRemoteAddress(), Map.of(), exchange.getLogPrefix());
			NettyDataBufferFactory buffers = (NettyDataBufferFactory) response.bufferFactory();
			WebsocketServerSpec.Builder spec = WebsocketServerSpec.builder()
				.maxFramePayloadLength(this.maxFramePayloadLength);
			if (subProtocol != null) {
				spec.protocols(subProtocol);
			}
			// as Spring's: the response's pre-commit actions, then the upgrade
			return response.setComplete()
				.then(Mono.defer(() -> reactorResponse.sendWebsocket(
						(in, out) -> handler
							.handle(new NettySocket(in, out, kept, buffers, this.maxFramePayloadLength)),
						spec.build())));
		}

	}

	/**
	 * Reactor Netty's WebSocket session, which can also send a ping frame by itself, and
	 * which lets go of the upgrade request's headers: Reactor Netty keeps the request it
	 * upgraded for as long as the socket, headers included (a browser's are a kilobyte or
	 * more), though nothing reads them once the handshake is done, which it is when the
	 * session is made.
	 */
	static final class NettySocket extends ReactorNettyWebSocketSession {

		NettySocket(WebsocketInbound inbound, WebsocketOutbound outbound, HandshakeInfo info,
				NettyDataBufferFactory buffers, int maxFramePayloadLength) {
			super(inbound, outbound, info, buffers, maxFramePayloadLength);
			inbound.headers().clear();
		}

		/**
		 * What Reactor Netty still holds of the upgrade request's headers (for tests).
		 */
		io.netty.handler.codec.http.HttpHeaders upgradeRequestHeaders() {
			return getDelegate().getInbound().headers();
		}

		/**
		 * The event loop of the socket's channel: every frame of the socket is written
		 * there.
		 */
		Executor eventLoop() {
			Executor[] loop = new Executor[1];
			getDelegate().getInbound().withConnection((connection) -> loop[0] = connection.channel().eventLoop());
			return loop[0];
		}

		/**
		 * Writes a ping frame to the channel, between whatever messages the handler is
		 * sending (WebSocket allows control frames there).
		 */
		void ping() {
			getDelegate().getInbound().withConnection((connection) -> {
				Channel channel = connection.channel();
				if (channel.isActive()) {
					channel.writeAndFlush(new PingWebSocketFrame(), channel.voidPromise());
				}
			});
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

	/**
	 * Tracks open sockets so shutdown can close them, and keeps them alive: every
	 * keep-alive interval one task pings every open socket (a WebSocket ping frame, which
	 * every client answers by itself, browsers included) and closes those from which
	 * nothing (message or pong) arrived for two intervals: a client that vanished without
	 * closing (a dropped network, a killed laptop) frees its subscriptions within about
	 * four intervals instead of when TCP gives up, many minutes later. One task for all
	 * sockets, not a timer and a merged stream per socket (about 0.8 KiB each); and no
	 * graphql-ws {@code ping} messages besides (Spring's keep-alive, another timer per
	 * socket), which the frames make redundant.
	 */
	static class ClosingWebSocketHandler extends GraphQlWebSocketHandler implements SmartLifecycle {

		private static final Log logger = LogFactory.getLog(ClosingWebSocketHandler.class);

		private final Set<ValidatingSession> sessions = ConcurrentHashMap.newKeySet();

		private final Duration keepAlive;

		private volatile Disposable keepingAlive;

		private volatile boolean running;

		ClosingWebSocketHandler(WebGraphQlHandler handler, ServerCodecConfigurer codecs, Duration initTimeout,
				Duration keepAlive) {
			super(new Forgetting(handler), codecs, initTimeout, null);
			this.keepAlive = keepAlive;
		}

		@Override
		public Mono<Void> handle(WebSocketSession session) {
			if (!this.running) {
				return session.close(CloseStatus.GOING_AWAY);
			}
			ValidatingSession validating = new ValidatingSession(session);
			this.sessions.add(validating);
			// for interceptors that close with their own code (security.WebSocketGuard:
			// 4430)
			session.getAttributes().put(WebSocketSession.class.getName(), session);
			return super.handle(validating).doFinally((signal) -> this.sessions.remove(validating));
		}

		/** Open graphql-ws connections on this replica. */
		int openSockets() {
			return this.sessions.size();
		}

		/** The open graphql-ws sessions of this replica, as their handler sees them. */
		Set<? extends WebSocketSession> openSessions() {
			return Collections.unmodifiableSet(this.sessions);
		}

		private void keepAlive() {
			long silentLimit = this.keepAlive.multipliedBy(2).toNanos();
			for (ValidatingSession session : this.sessions) {
				session.keepAlive(silentLimit);
			}
		}

		@Override
		public void start() {
			this.running = true;
			if (this.keepAlive != null && this.keepingAlive == null) {
				this.keepingAlive = Flux.interval(this.keepAlive, this.keepAlive)
					.onBackpressureDrop()
					.subscribe((tick) -> keepAlive(), (ex) -> logger.error("Keep-alive stopped", ex));
			}
		}

		@Override
		public void stop() {
			this.running = false;
			Disposable task = this.keepingAlive;
			this.keepingAlive = null;
			if (task != null) {
				task.dispose();
			}
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

	/**
	 * The GraphQL handler as graphql-ws calls it, with each operation's request chain
	 * forgotten once it has answered. Spring's graphql-ws handler keeps the stream it
	 * made of that answer (a {@code doOnTerminate}) for as long as a subscription runs,
	 * and with it every operator and lambda the interceptors and the execution service
	 * assembled on the way, with the request they captured (its document, variables and
	 * URI): about 2 KiB per open subscription that nothing reads again.
	 */
	static final class Forgetting implements WebGraphQlHandler {

		private final WebGraphQlHandler handler;

		Forgetting(WebGraphQlHandler handler) {
			this.handler = handler;
		}

		@Override
		public WebSocketGraphQlInterceptor getWebSocketInterceptor() {
			return this.handler.getWebSocketInterceptor();
		}

		@Override
		public ContextSnapshotFactory contextSnapshotFactory() {
			return this.handler.contextSnapshotFactory();
		}

		@Override
		public Mono<WebGraphQlResponse> handleRequest(WebGraphQlRequest request) {
			return new ForgettingMono<>(() -> this.handler.handleRequest(request));
		}

	}

}
