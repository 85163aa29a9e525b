package dev.boardcast.common;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.stream.Collectors;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Batch loading of paged child lists (a column's tasks, a task's comments, a board's
 * members): keys that ask for the same page share one statement, whatever the number of
 * parents.
 */
public final class PagedLoads {

	private PagedLoads() {
	}

	/**
	 * @param rows the rows of a page of each given parent, in list order
	 * @param parentOf the parent a row belongs to
	 * @param cursorOf the cursor of a row
	 */
	public static <T> Mono<Map<PagedKey, Connection<T>>> load(Set<PagedKey> keys,
			BiFunction<UUID[], PageRequest, Flux<T>> rows, Function<T, UUID> parentOf, Function<T, String> cursorOf) {
		Map<PageRequest, List<PagedKey>> byPage = keys.stream().collect(Collectors.groupingBy(PagedKey::page));
		return Flux.fromIterable(byPage.entrySet())
			.concatMap((group) -> rows
				.apply(group.getValue().stream().map(PagedKey::parentId).toArray(UUID[]::new), group.getKey())
				.collect(Collectors.groupingBy(parentOf))
				.map((byParent) -> group.getValue()
					.stream()
					.collect(Collectors.toMap(Function.identity(),
							(key) -> Connection.of(byParent.getOrDefault(key.parentId(), List.of()), key.page(),
									cursorOf)))))
			.collect(HashMap::new, Map::putAll);
	}

}
