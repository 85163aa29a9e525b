package dev.boardcast.config;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.graphql.server.WebGraphQlHandler;
import org.springframework.graphql.server.webflux.GraphQlWebSocketHandler;
import org.springframework.http.codec.ServerCodecConfigurer;
import org.springframework.web.reactive.socket.CloseStatus;
import org.springframework.web.reactive.socket.WebSocketSession;

/**
 * The graphql-ws endpoint, with keep-alive pings, a {@code connection_init} timeout, and
 * graceful shutdown: before the web server stops, every socket is closed with 1001 (going
 * away) so clients reconnect to another replica and resume from their cursor.
 */
@Configuration(proxyBeanMethods = false)
class WebSocketConfig {

	@Bean
	ClosingWebSocketHandler graphQlWebSocketHandler(WebGraphQlHandler handler, ServerCodecConfigurer codecs,
			io.micrometer.core.instrument.MeterRegistry meters,
			@Value("${spring.graphql.websocket.connection-init-timeout:10s}") Duration initTimeout,
			@Value("${spring.graphql.websocket.keep-alive:15s}") Duration keepAlive) {
		ClosingWebSocketHandler webSockets = new ClosingWebSocketHandler(handler, codecs, initTimeout, keepAlive);
		meters.gauge("boardcast.websocket.connections", webSockets, ClosingWebSocketHandler::openSockets);
		return webSockets;
	}

	/** Tracks open sockets so shutdown can close them. */
	static class ClosingWebSocketHandler extends GraphQlWebSocketHandler implements SmartLifecycle {

		private static final Log logger = LogFactory.getLog(ClosingWebSocketHandler.class);

		private final Set<WebSocketSession> sessions = ConcurrentHashMap.newKeySet();

		private volatile boolean running;

		ClosingWebSocketHandler(WebGraphQlHandler handler, ServerCodecConfigurer codecs, Duration initTimeout,
				Duration keepAlive) {
			super(handler, codecs, initTimeout, keepAlive);
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
			return super.handle(new ValidatingSession(session)).doFinally((signal) -> this.sessions.remove(session));
		}

		/** Open graphql-ws connections on this replica. */
		int openSockets() {
			return this.sessions.size();
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
