package dev.boardcast.config;

import java.util.Map;
import java.util.function.Function;

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
 * A session whose inbound messages are checked before graphql-ws sees them: a binary
 * frame, or text that is not a JSON object with a client message {@code type}, closes the
 * socket with 4400 (graphql-ws "invalid message") instead of ending it without a close
 * code.
 */
class ValidatingSession implements WebSocketSession {

	static final CloseStatus INVALID_MESSAGE = new CloseStatus(4400, "Invalid message");

	/** The messages a graphql-transport-ws client may send. */
	private static final java.util.Set<String> CLIENT_TYPES = java.util.Set.of("connection_init", "ping", "pong",
			"subscribe", "complete");

	private static final JsonMapper json = JsonMapper.builder().build();

	private final WebSocketSession delegate;

	ValidatingSession(WebSocketSession delegate) {
		this.delegate = delegate;
	}

	@Override
	public Flux<WebSocketMessage> receive() {
		return this.delegate.receive()
			.map(ValidatingSession::detached)
			.concatMap((message) -> valid(message) ? Mono.just(message)
					: this.delegate.close(INVALID_MESSAGE).then(Mono.<WebSocketMessage>empty()));
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

	private static boolean valid(WebSocketMessage message) {
		if (message.getType() != WebSocketMessage.Type.TEXT) {
			return message.getType() == WebSocketMessage.Type.PING || message.getType() == WebSocketMessage.Type.PONG;
		}
		try {
			JsonNode node = json.readTree(message.getPayloadAsText());
			return node.isObject() && CLIENT_TYPES.contains(node.path("type").asString(""));
		}
		catch (RuntimeException ex) {
			return false;
		}
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
	public Mono<Void> send(org.reactivestreams.Publisher<WebSocketMessage> messages) {
		return this.delegate.send(messages);
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
