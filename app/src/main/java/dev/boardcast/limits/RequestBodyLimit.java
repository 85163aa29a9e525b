package dev.boardcast.limits;

import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

import dev.boardcast.common.ErrorCode;
import dev.boardcast.common.RefusedRequest;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.core.Ordered;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * Every request body, on every path, is at most {@code boardcast.limits.max-body-size}: a
 * larger {@code Content-Length} is refused unread, and a body without one (chunked) is
 * counted as it streams in and refused as soon as it passes the limit, so nothing ever
 * holds more than the limit in memory. Either way: 413 with a GraphQL-style error.
 */
final class RequestBodyLimit implements WebFilter, Ordered {

	private final long maxBytes;

	RequestBodyLimit(Limits limits) {
		this.maxBytes = limits.maxBodySize().toBytes();
	}

	@Override
	public int getOrder() {
		// before security and routing: a refusal here costs nothing else
		return Ordered.HIGHEST_PRECEDENCE + 10;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		long length = exchange.getRequest().getHeaders().getContentLength();
		if (length > this.maxBytes) {
			return Mono.error(tooLarge(length));
		}
		ServerHttpRequest counted = new ServerHttpRequestDecorator(exchange.getRequest()) {
			@Override
			public Flux<DataBuffer> getBody() {
				AtomicLong received = new AtomicLong();
				return super.getBody().handle((buffer, sink) -> {
					if (received.addAndGet(buffer.readableByteCount()) > RequestBodyLimit.this.maxBytes) {
						DataBufferUtils.release(buffer);
						sink.error(tooLarge(null));
					}
					else {
						sink.next(buffer);
					}
				});
			}
		};
		return chain.filter(exchange.mutate().request(counted).build());
	}

	private RefusedRequest tooLarge(Long length) {
		String size = (length != null) ? String.format(Locale.ROOT, "is %,d bytes, more than", length)
				: "is larger than";
		return new RefusedRequest(HttpStatus.CONTENT_TOO_LARGE, ErrorCode.BAD_USER_INPUT, String.format(Locale.ROOT,
				"The request body %s the %,d bytes allowed (limit maxBodySize, set by BOARDCAST_LIMITS_MAX_BODY_SIZE "
						+ "on the server)",
				size, this.maxBytes))
			.extension("limit", "maxBodySize")
			.extension("max", this.maxBytes);
	}

}
