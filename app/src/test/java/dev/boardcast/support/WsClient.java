package dev.boardcast.support;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.WebsocketClientSpec;
import tools.jackson.databind.json.JsonMapper;

/**
 * A graphql-ws (graphql-transport-ws) client at the frame level, so tests see exactly
 * what a browser would: every message, and the close code.
 */
public final class WsClient implements AutoCloseable {

	private static final JsonMapper json = JsonMapper.builder().build();

	private final BlockingQueue<Map<String, Object>> messages = new LinkedBlockingQueue<>();

	private final CompletableFuture<Integer> closeCode = new CompletableFuture<>();

	private final Sinks.Many<WebSocketFrame> outbound = Sinks.many().unicast().onBackpressureBuffer();

	private final Disposable connection;

	private final java.util.concurrent.atomic.AtomicInteger pings = new java.util.concurrent.atomic.AtomicInteger();

	private WsClient(int port) {
		this.connection = HttpClient.create()
			.websocket(WebsocketClientSpec.builder()
				.protocols("graphql-transport-ws")
				.maxFramePayloadLength(1 << 20)
				// ping frames reach the handler, which counts and answers them
				.handlePing(true)
				.build())
			.uri("ws://localhost:" + port + "/graphql")
			.handle((in, out) -> {
				in.receiveCloseStatus().subscribe((status) -> this.closeCode.complete(status.code()));
				Mono<Void> receive = in.aggregateFrames().receiveFrames().doOnNext((frame) -> {
					if (frame instanceof TextWebSocketFrame text) {
						onMessage(text.text());
					}
					else if (frame instanceof PingWebSocketFrame ping) {
						this.pings.incrementAndGet();
						this.outbound.tryEmitNext(new PongWebSocketFrame(ping.content().retain()));
					}
				}).then();
				Mono<Void> send = out.sendObject(this.outbound.asFlux()).then();
				return Mono.when(receive, send);
			})
			.doFinally((signal) -> this.closeCode.complete(-1))
			.subscribe();
	}

	public static WsClient connect(int port) {
		return new WsClient(port);
	}

	@SuppressWarnings("unchecked")
	private void onMessage(String text) {
		Map<String, Object> message = json.readValue(text, Map.class);
		if ("ping".equals(message.get("type"))) {
			// graphql-ws's own ping (the server sends WebSocket ping frames instead)
			sendText("{\"type\":\"pong\"}");
			return;
		}
		this.messages.add(message);
	}

	public void sendText(String text) {
		this.outbound.tryEmitNext(new TextWebSocketFrame(text));
	}

	public void sendBinary(byte[] bytes) {
		this.outbound.tryEmitNext(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(bytes)));
	}

	public void send(Map<String, Object> message) {
		sendText(json.writeValueAsString(message));
	}

	/**
	 * Sends {@code connection_init} with the token and waits for {@code connection_ack}.
	 */
	public WsClient init(String token) {
		send(Map.of("type", "connection_init", "payload", Map.of("Authorization", "Bearer " + token)));
		Map<String, Object> ack = next();
		if (!"connection_ack".equals(ack.get("type"))) {
			throw new AssertionError("expected connection_ack, got " + ack);
		}
		return this;
	}

	public void subscribe(String id, String query, Map<String, Object> variables) {
		Map<String, Object> payload = new LinkedHashMap<>();
		payload.put("query", query);
		payload.put("variables", variables);
		send(Map.of("id", id, "type", "subscribe", "payload", payload));
	}

	public void complete(String id) {
		send(Map.of("id", id, "type", "complete"));
	}

	/** The next message (pings are answered and skipped); fails after 20 s. */
	public Map<String, Object> next() {
		return next(Duration.ofSeconds(20));
	}

	public Map<String, Object> next(Duration timeout) {
		try {
			Map<String, Object> message = this.messages.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
			if (message == null) {
				throw new AssertionError("no message within " + timeout);
			}
			return message;
		}
		catch (InterruptedException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** The next message, or null when none comes within {@code timeout}. */
	public Map<String, Object> poll(Duration timeout) {
		try {
			return this.messages.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** The close code the server sent (-1: the connection ended without one). */
	public int closeCode(Duration timeout) {
		try {
			return this.closeCode.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (Exception ex) {
			throw new AssertionError("the socket was not closed within " + timeout);
		}
	}

	public boolean isClosed() {
		return this.closeCode.isDone();
	}

	/**
	 * How many keep-alive pings (WebSocket ping frames) the server sent; each was
	 * answered with a pong.
	 */
	public int pings() {
		return this.pings.get();
	}

	public int pending() {
		return this.messages.size();
	}

	@Override
	public void close() {
		this.outbound.tryEmitComplete();
		this.connection.dispose();
	}

}
