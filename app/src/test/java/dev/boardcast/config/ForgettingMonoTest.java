package dev.boardcast.config;

import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A subscriber that keeps its subscription after the end (as Spring's graphql-ws handler
 * keeps a subscription's request) does not keep what made the value.
 */
class ForgettingMonoTest {

	@Test
	void passesTheValueOnAndForgetsWhatMadeItOnceDone() throws InterruptedException {
		AtomicReference<Subscription> kept = new AtomicReference<>();
		AtomicReference<String> value = new AtomicReference<>();
		WeakReference<Object> captured = subscribeKeeping(true, kept, value);
		assertThat(value.get()).isEqualTo("answer for 42");
		assertThat(kept.get()).isNotNull();
		long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
		while (captured.get() != null && System.nanoTime() < deadline) {
			System.gc();
			Thread.sleep(20);
		}
		assertThat(captured.get()).as("what the source captured, while its subscription is kept").isNull();
	}

	@Test
	void aPlainMonoKeepsWhatMadeIt() throws InterruptedException {
		// the control: the same source without ForgettingMono
		AtomicReference<Subscription> kept = new AtomicReference<>();
		AtomicReference<String> value = new AtomicReference<>();
		WeakReference<Object> captured = subscribeKeeping(false, kept, value);
		assertThat(value.get()).isEqualTo("answer for 42");
		for (int i = 0; i < 3; i++) {
			System.gc();
			Thread.sleep(20);
		}
		assertThat(captured.get()).isNotNull();
	}

	@Test
	void errorsAndCancellationPassThroughAndASecondSubscriberIsRefused() {
		ForgettingMono<String> failing = new ForgettingMono<>(() -> Mono.error(new IllegalStateException("no")));
		StepVerifier.create(failing).expectErrorMessage("no").verify();
		StepVerifier.create(failing).expectErrorMessage("ForgettingMono allows one subscriber").verify();
		StepVerifier.create(new ForgettingMono<>(() -> Mono.never())).thenCancel().verify();
	}

	private static WeakReference<Object> subscribeKeeping(boolean forgetting, AtomicReference<Subscription> kept,
			AtomicReference<String> value) {
		Object request = new Object();
		WeakReference<Object> captured = new WeakReference<>(request);
		Supplier<Mono<String>> source = () -> Mono.just(42).map((n) -> (request != null) ? "answer for " + n : "?");
		Mono<String> mono = forgetting ? new ForgettingMono<>(source) : source.get();
		mono.subscribe(keeping(kept, value));
		return captured;
	}

	private static <T> CoreSubscriber<T> keeping(AtomicReference<Subscription> kept, AtomicReference<T> value) {
		return new CoreSubscriber<>() {
			@Override
			public void onSubscribe(Subscription subscription) {
				kept.set(subscription);
				subscription.request(Long.MAX_VALUE);
			}

			@Override
			public void onNext(T next) {
				value.set(next);
			}

			@Override
			public void onError(Throwable error) {
			}

			@Override
			public void onComplete() {
			}
		};
	}

}
