package dev.boardcast.config;

import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.LastHttpContent;
import reactor.netty.NettyPipeline;

import org.springframework.boot.reactor.netty.NettyServerCustomizer;
import org.springframework.stereotype.Component;

/**
 * Works around a Reactor Netty bug (1.3.6, the version Boot 4.1.0 brings, and 1.3.7;
 * reactor-netty#4361, fixed by #4347) that left a kept-alive HTTP/1.1 connection unread
 * for good: when a request arrives before the previous one's operations have terminated,
 * it is queued; if that queued request is then answered at once (a 401, a CORS refusal, a
 * 404), the queue drains without anyone asking the socket for more, and the client's next
 * request on that connection waits until it gives up. Browsers and load balancers reuse
 * connections, so a user would see a request hang after a refused one.
 * <p>
 * After every complete response (its last part written), this asks the channel for one
 * more read, on the event loop, after the task that wrote it. A read asked for when one
 * is already pending changes nothing; a read that brings the next request delivers it as
 * Reactor Netty would have. Remove this once Boot's Reactor Netty has the fix.
 */
@Component
class KeepAliveReadResume implements NettyServerCustomizer {

	@Override
	public reactor.netty.http.server.HttpServer apply(reactor.netty.http.server.HttpServer server) {
		return server.doOnChannelInit((observer, channel, remoteAddress) -> {
			if (channel.pipeline().get(NettyPipeline.HttpTrafficHandler) != null) {
				channel.pipeline()
					.addAfter(NettyPipeline.HttpTrafficHandler, ResumeAfterResponse.NAME, ResumeAfterResponse.INSTANCE);
			}
		});
	}

	/** Asks for the next read once a response has been written in full. */
	@ChannelHandler.Sharable
	static final class ResumeAfterResponse extends ChannelDuplexHandler {

		static final String NAME = "boardcast.keepAliveReadResume";

		static final ResumeAfterResponse INSTANCE = new ResumeAfterResponse();

		@Override
		public void write(ChannelHandlerContext context, Object message, ChannelPromise promise) {
			if (message instanceof LastHttpContent && !switchingProtocols(message)) {
				Channel channel = context.channel();
				promise = promise.unvoid();
				promise.addListener((written) -> {
					if (written.isSuccess()) {
						channel.eventLoop().execute(() -> {
							if (channel.isActive() && !channel.config().isAutoRead()) {
								channel.read();
							}
						});
					}
				});
			}
			context.write(message, promise);
		}

		private static boolean switchingProtocols(Object message) {
			return message instanceof HttpResponse response
					&& HttpResponseStatus.SWITCHING_PROTOCOLS.equals(response.status());
		}

	}

}
