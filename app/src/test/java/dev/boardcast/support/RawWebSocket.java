package dev.boardcast.support;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;

import tools.jackson.databind.json.JsonMapper;

/**
 * A WebSocket client on a plain TCP socket, for what a well-behaved client library never
 * does: several frames in one TCP write, a message in fragments, no answer to pings, and
 * vanishing without a close frame (the socket just closes, or is reset).
 */
public final class RawWebSocket implements AutoCloseable {

	private static final JsonMapper json = JsonMapper.builder().build();

	private static final SecureRandom random = new SecureRandom();

	/** A frame the server sent. */
	public record Frame(int opcode, byte[] payload) {

		public String text() {
			return new String(this.payload, StandardCharsets.UTF_8);
		}

		/** The close code of a close frame. */
		public int closeCode() {
			return ((this.payload[0] & 0xff) << 8) | (this.payload[1] & 0xff);
		}

	}

	public static final int TEXT = 0x1;

	public static final int CONTINUATION = 0x0;

	public static final int CLOSE = 0x8;

	public static final int PING = 0x9;

	private final Socket socket;

	private final DataInputStream in;

	private final OutputStream out;

	private RawWebSocket(Socket socket) throws IOException {
		this.socket = socket;
		this.in = new DataInputStream(socket.getInputStream());
		this.out = socket.getOutputStream();
	}

	/** Connects to {@code /graphql} with the graphql-transport-ws subprotocol. */
	public static RawWebSocket connect(int port) {
		return connect(port, Map.of());
	}

	/** Like {@link #connect(int)}, with more headers in the upgrade request. */
	public static RawWebSocket connect(int port, Map<String, String> headers) {
		try {
			Socket socket = new Socket("localhost", port);
			String status = upgrade(socket, port, headers);
			if (!status.startsWith("HTTP/1.1 101")) {
				socket.close();
				throw new IllegalStateException("no upgrade: " + status);
			}
			return new RawWebSocket(socket);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * The status line and headers the server answers an upgrade request with (the
	 * connection is closed then).
	 */
	public static String upgradeResponse(int port, Map<String, String> headers) {
		try (Socket socket = new Socket("localhost", port)) {
			return upgrade(socket, port, headers);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static String upgrade(Socket socket, int port, Map<String, String> headers) throws IOException {
		socket.setSoTimeout(20_000);
		byte[] nonce = new byte[16];
		random.nextBytes(nonce);
		String key = Base64.getEncoder().encodeToString(nonce);
		String request = "GET /graphql HTTP/1.1\r\nHost: localhost:" + port
				+ "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: " + key
				+ "\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: graphql-transport-ws\r\n";
		StringBuilder extra = new StringBuilder();
		headers.forEach((name, value) -> extra.append(name).append(": ").append(value).append("\r\n"));
		request = request + extra + "\r\n";
		socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
		return readHeaders(socket.getInputStream());
	}

	/** The client's port of this connection (the server's remote address). */
	public int localPort() {
		return this.socket.getLocalPort();
	}

	private static String readHeaders(InputStream in) throws IOException {
		ByteArrayOutputStream headers = new ByteArrayOutputStream();
		int matched = 0;
		while (matched < 4) {
			int b = in.read();
			if (b < 0) {
				throw new EOFException("connection closed during the handshake");
			}
			headers.write(b);
			matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : ((b == '\r') ? 1 : 0);
		}
		return headers.toString(StandardCharsets.US_ASCII);
	}

	/** A masked client frame. */
	public static byte[] frame(int opcode, boolean fin, byte[] payload) {
		ByteArrayOutputStream frame = new ByteArrayOutputStream();
		frame.write((fin ? 0x80 : 0) | opcode);
		if (payload.length < 126) {
			frame.write(0x80 | payload.length);
		}
		else if (payload.length <= 0xffff) {
			frame.write(0x80 | 126);
			frame.write(payload.length >>> 8);
			frame.write(payload.length & 0xff);
		}
		else {
			frame.write(0x80 | 127);
			for (int shift = 56; shift >= 0; shift -= 8) {
				frame.write((int) (((long) payload.length >>> shift) & 0xff));
			}
		}
		byte[] mask = new byte[4];
		random.nextBytes(mask);
		frame.writeBytes(mask);
		for (int i = 0; i < payload.length; i++) {
			frame.write(payload[i] ^ mask[i % 4]);
		}
		return frame.toByteArray();
	}

	public static byte[] text(String text) {
		return frame(TEXT, true, text.getBytes(StandardCharsets.UTF_8));
	}

	public static byte[] message(Map<String, Object> message) {
		return text(json.writeValueAsString(message));
	}

	/** Writes frames in one TCP write, so the server reads them together. */
	public void write(byte[]... frames) {
		ByteArrayOutputStream all = new ByteArrayOutputStream();
		for (byte[] frame : frames) {
			all.writeBytes(frame);
		}
		try {
			this.out.write(all.toByteArray());
			this.out.flush();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** The next frame from the server, or null when the connection ended. */
	public Frame read() {
		try {
			int first = this.in.read();
			if (first < 0) {
				return null;
			}
			int second = this.in.readUnsignedByte();
			long length = second & 0x7f;
			if (length == 126) {
				length = this.in.readUnsignedShort();
			}
			else if (length == 127) {
				length = this.in.readLong();
			}
			byte[] payload = new byte[Math.toIntExact(length)];
			this.in.readFully(payload);
			return new Frame(first & 0x0f, payload);
		}
		catch (EOFException | SocketTimeoutException ex) {
			return null;
		}
		catch (IOException ex) {
			// reset by the server
			return null;
		}
	}

	/** The next text message, skipping pings (which are not answered). */
	@SuppressWarnings("unchecked")
	public Map<String, Object> nextMessage() {
		for (Frame frame = read(); frame != null; frame = read()) {
			if (frame.opcode() == TEXT) {
				return json.readValue(frame.text(), Map.class);
			}
			if (frame.opcode() == CLOSE) {
				throw new AssertionError("closed with " + frame.closeCode());
			}
		}
		throw new AssertionError("the connection ended");
	}

	/** The code of the close frame that ends the connection (-1: none came). */
	public int closeCode(Duration timeout) {
		try {
			this.socket.setSoTimeout(Math.toIntExact(timeout.toMillis()));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		for (Frame frame = read(); frame != null; frame = read()) {
			if (frame.opcode() == CLOSE) {
				return frame.closeCode();
			}
		}
		return -1;
	}

	/**
	 * Waits until the server ends the TCP connection (not only the WebSocket); false when
	 * it is still open after {@code timeout}.
	 */
	public boolean awaitEnd(Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		try {
			while (System.nanoTime() < deadline) {
				this.socket.setSoTimeout(200);
				try {
					if (this.in.read() < 0) {
						return true;
					}
				}
				catch (SocketTimeoutException ex) {
					// still open
				}
			}
			return false;
		}
		catch (IOException ex) {
			return true;
		}
	}

	/** Vanishes: a TCP reset, no close frame. */
	public void reset() {
		try {
			this.socket.setSoLinger(true, 0);
			this.socket.close();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** Vanishes: the TCP connection is closed (FIN), no close frame. */
	@Override
	public void close() {
		try {
			this.socket.close();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
