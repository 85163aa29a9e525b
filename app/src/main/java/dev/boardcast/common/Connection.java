package dev.boardcast.common;

import java.util.List;
import java.util.function.Function;

/**
 * One page of a Relay connection.
 *
 * @param <T> the node type
 */
public record Connection<T>(List<Edge<T>> edges, PageInfo pageInfo) {

	/** A node with its cursor. */
	public record Edge<T>(String cursor, T node) {
	}

	/** Where a page is. */
	public record PageInfo(boolean hasNextPage, boolean hasPreviousPage, String startCursor, String endCursor) {
	}

	public List<T> nodes() {
		return this.edges.stream().map(Edge::node).toList();
	}

	/**
	 * A page from rows fetched with {@code limit + 1}: the extra row only says that more
	 * follow.
	 */
	public static <T> Connection<T> of(List<T> rows, PageRequest page, Function<T, String> cursor) {
		boolean hasNext = rows.size() > page.size();
		List<Edge<T>> edges = rows.stream()
			.limit(page.size())
			.map((row) -> new Edge<>(cursor.apply(row), row))
			.toList();
		String start = edges.isEmpty() ? null : edges.get(0).cursor();
		String end = edges.isEmpty() ? null : edges.get(edges.size() - 1).cursor();
		return new Connection<>(edges, new PageInfo(hasNext, page.after() != null, start, end));
	}

}
