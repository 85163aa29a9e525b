package dev.boardcast.config;

import java.util.function.Supplier;

import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Operators;
import reactor.util.context.Context;

/**
 * A Mono that forgets where its value came from once it has it: it assembles its source
 * when subscribed (once: a second subscriber gets an error), and once the source has
 * signalled its end, neither this Mono nor its subscription refers to the source's
 * operators any more. A subscriber that keeps its upstream for long (Spring's graphql-ws
 * handler keeps a subscription's request Mono as long as the subscription runs) thus
 * keeps these two small objects, not the chain that made the value.
 */
final class ForgettingMono<T> extends Mono<T> {

	private volatile Supplier<? extends Mono<T>> source;

	ForgettingMono(Supplier<? extends Mono<T>> source) {
		this.source = source;
	}

	@Override
	public void subscribe(CoreSubscriber<? super T> actual) {
		Supplier<? extends Mono<T>> supplier = this.source;
		this.source = null;
		if (supplier == null) {
			Operators.error(actual, new IllegalStateException("ForgettingMono allows one subscriber"));
			return;
		}
		supplier.get().subscribe(new Forgetting<>(actual));
	}

	/** Passes everything on, and drops its upstream at the end. */
	static final class Forgetting<T> implements CoreSubscriber<T>, Subscription {

		private final CoreSubscriber<? super T> actual;

		private volatile Subscription upstream;

		Forgetting(CoreSubscriber<? super T> actual) {
			this.actual = actual;
		}

		@Override
		public Context currentContext() {
			return this.actual.currentContext();
		}

		@Override
		public void onSubscribe(Subscription s) {
			this.upstream = s;
			this.actual.onSubscribe(this);
		}

		@Override
		public void onNext(T value) {
			this.actual.onNext(value);
		}

		@Override
		public void onError(Throwable error) {
			this.upstream = null;
			this.actual.onError(error);
		}

		@Override
		public void onComplete() {
			this.upstream = null;
			this.actual.onComplete();
		}

		@Override
		public void request(long n) {
			Subscription s = this.upstream;
			if (s != null) {
				s.request(n);
			}
		}

		@Override
		public void cancel() {
			Subscription s = this.upstream;
			this.upstream = null;
			if (s != null) {
				s.cancel();
			}
		}

	}

}
