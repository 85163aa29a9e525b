package dev.boardcast.common;

import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * One page of a Relay connection.
 *
 * @param <T> the node type
 */
public record Connection<T>(List<Edge<T>> edges, PageInfo pageInfo) {

	/**
	 * A node with its cursor, made when first asked for: a board read's 250 edges are
	 * seldom asked theirs.
	 */
	public static final class Edge<T> {

		private final T node;

		private final Function<? super T, String> cursorOf;

		private String cursor;

		public Edge(String cursor, T node) {
			this.node = node;
			this.cursorOf = null;
			this.cursor = cursor;
		}

		private Edge(T node, Function<? super T, String> cursorOf) {
			this.node = node;
			this.cursorOf = cursorOf;
		}

		public T node() {
			return this.node;
		}

		public String cursor() {
			String cursor = this.cursor;
			if (cursor == null && this.cursorOf != null) {
				cursor = this.cursorOf.apply(this.node);
				this.cursor = cursor;
			}
			return cursor;
		}

		@Override
		public boolean equals(Object other) {
			return other instanceof Edge<?> edge && Objects.equals(this.node, edge.node)
					&& Objects.equals(cursor(), edge.cursor());
		}

		@Override
		public int hashCode() {
			return Objects.hash(this.node, cursor());
		}

		@Override
		public String toString() {
			return "Edge[cursor=" + cursor() + ", node=" + this.node + "]";
		}

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
		List<Edge<T>> edges = rows.stream().limit(page.size()).map((row) -> new Edge<>(row, cursor)).toList();
		String start = edges.isEmpty() ? null : edges.get(0).cursor();
		String end = edges.isEmpty() ? null : edges.get(edges.size() - 1).cursor();
		return new Connection<>(edges, new PageInfo(hasNext, page.after() != null, start, end));
	}

}
