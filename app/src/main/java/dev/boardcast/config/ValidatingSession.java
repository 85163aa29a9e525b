package dev.boardcast.config;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import io.netty.handler.codec.TooLongFrameException;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferFactory;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.web.reactive.socket.CloseStatus;
import org.springframework.web.reactive.socket.HandshakeInfo;
import org.springframework.web.reactive.socket.WebSocketMessage;
import org.springframework.web.reactive.socket.WebSocketSession;

/**
 * A session whose inbound messages are checked before graphql-ws sees them, as the
 * graphql-transport-ws protocol asks:
 * <ul>
 * <li>a binary frame, text that is not a JSON object with a client message {@code type},
 * or a message whose fields have the wrong shape (a {@code subscribe} without an
 * {@code id} or without a {@code query} in an object {@code payload}, ...) closes the
 * socket with 4400 "invalid message", instead of ending it without a close code or
 * failing inside the handler;</li>
 * <li>a message over {@code boardcast.websocket.max-message-size}, in one frame or in
 * fragments, closes it with 1009 "message too big";</li>
 * <li>a {@code subscribe} before the server sent {@code connection_ack} closes it with
 * 4401 "unauthorized": no operation runs on a connection whose token is still being
 * checked, or was refused.</li>
 * </ul>
 * It also notes when the client was last heard from, for the handler's keep-alive (see
 * {@link #keepAlive(long)}).
 */
class ValidatingSession implements WebSocketSession {

	static final CloseStatus INVALID_MESSAGE = new CloseStatus(4400, "Invalid message");

	static final CloseStatus UNAUTHORIZED = new CloseStatus(4401, "Unauthorized");

	static final CloseStatus SILENT = new CloseStatus(1001, "No pong");

	/** The messages a graphql-transport-ws client may send. */
	private static final Set<String> CLIENT_TYPES = Set.of("connection_init", "ping", "pong", "subscribe", "complete");

	private static final JsonMapper json = JsonMapper.builder().build();

	private final WebSocketSession delegate;

	private volatile boolean acknowledged;

	/** A message was refused: the socket is closing, and nothing after it is read. */
	private volatile boolean refused;

	private volatile long lastHeard = System.nanoTime();

	ValidatingSession(WebSocketSession delegate) {
		this.delegate = delegate;
	}

	@Override
	public Flux<WebSocketMessage> receive() {
		return this.delegate.receive()
			// a message over the size limit in fragments (a single frame over it is
			// closed
			// with 1009 by Reactor Netty already); left alone, this would end in 1002
			.onErrorResume(TooLongFrameException.class,
					(ex) -> this.delegate.close(CloseStatus.TOO_BIG_TO_PROCESS).then(Mono.empty()))
			// One operator for the rest, one message at a time, in order: every
			// operator here lives as long as the socket.
			.handle((frame, sink) -> {
				this.lastHeard = System.nanoTime();
				if (this.refused || frame.getType() == WebSocketMessage.Type.PONG
						|| frame.getType() == WebSocketMessage.Type.PING) {
					// answers to our pings (Reactor Netty answers the client's pings
					// itself), and whatever follows a refused message
					return;
				}
				WebSocketMessage message = detached(frame);
				CloseStatus refusal = refusal(message);
				if (refusal != null) {
					this.refused = true;
					this.delegate.close(refusal).subscribe(null, (ex) -> {
					});
					return;
				}
				sink.next(message);
			});
	}

	/**
	 * The message with its payload copied to the heap. Reactor Netty releases a frame's
	 * buffer once it has been handed on, but messages wait in queues whenever a
	 * connection has many operations in flight (graphql-ws runs at most 256 at once per
	 * connection); read after the release, a queued message would be garbage and close
	 * the socket with 4400.
	 */
	private static WebSocketMessage detached(WebSocketMessage message) {
		DataBuffer payload = message.getPayload();
		byte[] bytes = new byte[payload.readableByteCount()];
		payload.read(bytes);
		return new WebSocketMessage(message.getType(), DefaultDataBufferFactory.sharedInstance.wrap(bytes));
	}

	/** Why the message ends the connection, or null when it may pass. */
	private CloseStatus refusal(WebSocketMessage message) {
		if (message.getType() != WebSocketMessage.Type.TEXT) {
			return INVALID_MESSAGE;
		}
		JsonNode node;
		try {
			node = json.readTree(message.getPayloadAsText());
		}
		catch (RuntimeException ex) {
			return INVALID_MESSAGE;
		}
		if (node == null || !node.isObject() || !CLIENT_TYPES.contains(node.path("type").asString(""))) {
			return INVALID_MESSAGE;
		}
		JsonNode payload = node.get("payload");
		return switch (node.get("type").asString()) {
			case "subscribe" -> {
				if (!nonEmptyString(node.get("id")) || payload == null || !payload.isObject()
						|| !nonEmptyString(payload.get("query")) || !absentOr(payload.get("operationName"), "string")
						|| !absentOr(payload.get("variables"), "object")
						|| !absentOr(payload.get("extensions"), "object")) {
					yield INVALID_MESSAGE;
				}
				yield this.acknowledged ? null : UNAUTHORIZED;
			}
			case "complete" -> nonEmptyString(node.get("id")) ? null : INVALID_MESSAGE;
			default -> absentOr(payload, "object") ? null : INVALID_MESSAGE;
		};
	}

	private static boolean nonEmptyString(JsonNode node) {
		return node != null && node.isString() && !node.asString().isEmpty();
	}

	private static boolean absentOr(JsonNode node, String kind) {
		if (node == null || node.isNull()) {
			return true;
		}
		return kind.equals("object") ? node.isObject() : node.isString();
	}

	@Override
	public Mono<Void> send(org.reactivestreams.Publisher<WebSocketMessage> messages) {
		return this.delegate.send(Flux.from(messages).doOnNext(this::noticeAcknowledgement));
	}

	private void noticeAcknowledgement(WebSocketMessage message) {
		if (this.acknowledged || message.getType() != WebSocketMessage.Type.TEXT) {
			return;
		}
		try {
			String text = message.getPayload().toString(StandardCharsets.UTF_8);
			this.acknowledged = json.readTree(text).path("type").asString("").equals("connection_ack");
		}
		catch (RuntimeException ex) {
			// our own messages are JSON; nothing to notice otherwise
		}
	}

	/**
	 * One keep-alive round: closes the socket with 1001 "No pong" when nothing (message
	 * or pong) arrived from the client for {@code silentNanos}, else sends it a WebSocket
	 * ping frame. The frame is written to the channel directly, between whatever messages
	 * the handler is sending (WebSocket allows control frames there), instead of through
	 * a stream merged into every socket's outbound messages.
	 */
	void keepAlive(long silentNanos) {
		if (System.nanoTime() - this.lastHeard > silentNanos) {
			this.delegate.close(SILENT).subscribe(null, (ex) -> {
			});
		}
		else if (this.delegate instanceof WebSocketConfig.NettySocket socket) {
			socket.ping();
		}
	}

	/** The session this one checks (for tests). */
	WebSocketSession delegate() {
		return this.delegate;
	}

	@Override
	public String getId() {
		return this.delegate.getId();
	}

	@Override
	public HandshakeInfo getHandshakeInfo() {
		return this.delegate.getHandshakeInfo();
	}

	@Override
	public DataBufferFactory bufferFactory() {
		return this.delegate.bufferFactory();
	}

	@Override
	public Map<String, Object> getAttributes() {
		return this.delegate.getAttributes();
	}

	@Override
	public boolean isOpen() {
		return this.delegate.isOpen();
	}

	@Override
	public Mono<Void> close(CloseStatus status) {
		return this.delegate.close(status);
	}

	@Override
	public Mono<CloseStatus> closeStatus() {
		return this.delegate.closeStatus();
	}

	@Override
	public WebSocketMessage textMessage(String payload) {
		return this.delegate.textMessage(payload);
	}

	@Override
	public WebSocketMessage binaryMessage(Function<DataBufferFactory, DataBuffer> payloadFactory) {
		return this.delegate.binaryMessage(payloadFactory);
	}

	@Override
	public WebSocketMessage pingMessage(Function<DataBufferFactory, DataBuffer> payloadFactory) {
		return this.delegate.pingMessage(payloadFactory);
	}

	@Override
	public WebSocketMessage pongMessage(Function<DataBufferFactory, DataBuffer> payloadFactory) {
		return this.delegate.pongMessage(payloadFactory);
	}

}
