package dev.boardcast.common;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** Maps batch results back to the parents that asked for them. */
public final class BatchResults {

	private BatchResults() {
	}

	public static <P, K, V> Map<P, V> byKey(List<P> parents, Function<P, K> key, Map<K, V> values, V missing) {
		Map<P, V> result = new LinkedHashMap<>();
		for (P parent : parents) {
			result.put(parent, values.getOrDefault(key.apply(parent), missing));
		}
		return result;
	}

}
