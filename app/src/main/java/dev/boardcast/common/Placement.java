package dev.boardcast.common;

import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

import reactor.core.publisher.Mono;

/**
 * Where a moved or created item goes, from the neighbours a client names. Runs under the
 * board's write lock, so the neighbours' keys cannot change underneath it.
 */
public final class Placement {

	private Placement() {
	}

	/**
	 * A new order key.
	 * @param afterKey the key of the item that will precede it, or null
	 * @param beforeKey the key of the item that will follow it, or null
	 * @param nextAfter the key following a key in the container (other than the moved
	 * item)
	 * @param previousBefore the key preceding a key in the container (other than the
	 * moved item)
	 * @param last the container's last key (other than the moved item)
	 */
	public static Mono<String> key(String afterKey, String beforeKey, Function<String, Mono<String>> nextAfter,
			Function<String, Mono<String>> previousBefore, Supplier<Mono<String>> last) {
		if (afterKey != null && beforeKey != null) {
			if (afterKey.compareTo(beforeKey) >= 0) {
				return Mono.error(ApiException.badInput("input.beforeId", "must come after input.afterId"));
			}
			return Mono.just(FractionalKeys.between(afterKey, beforeKey));
		}
		if (afterKey != null) {
			return optional(nextAfter.apply(afterKey))
				.map((next) -> FractionalKeys.between(afterKey, next.orElse(null)));
		}
		if (beforeKey != null) {
			return optional(previousBefore.apply(beforeKey))
				.map((previous) -> FractionalKeys.between(previous.orElse(null), beforeKey));
		}
		return optional(last.get()).map((lastKey) -> FractionalKeys.between(lastKey.orElse(null), null));
	}

	private static Mono<Optional<String>> optional(Mono<String> key) {
		return key.map(Optional::of).defaultIfEmpty(Optional.empty());
	}

}
