package dev.boardcast.limits;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import graphql.GraphQLError;
import graphql.language.Document;
import graphql.language.Field;
import graphql.language.FragmentDefinition;
import graphql.language.FragmentSpread;
import graphql.language.InlineFragment;
import graphql.language.OperationDefinition;
import graphql.language.Selection;
import graphql.language.SelectionSet;

/**
 * The limits a document can be checked against before graphql-java validates it: depth,
 * aliases, root fields and directives, each counted with fragments expanded where they
 * are spread, so a fragment hides nothing. Runs on unvalidated documents, so it never
 * recurses (a document is as deep as the parser allowed) and never follows a fragment
 * cycle (validation reports the cycle); each fragment is measured once, so a fragment
 * spread many times costs no more to check than one spread once.
 */
final class DocumentChecks {

	/**
	 * Counts stop growing here: fragments spread inside fragments multiply, and no limit
	 * is anywhere near this.
	 */
	private static final long CAP = 1L << 40;

	private DocumentChecks() {
	}

	/** The first limit the document breaks, or null. */
	static GraphQLError check(Document document, Limits limits) {
		Map<String, FragmentDefinition> fragments = new LinkedHashMap<>();
		List<OperationDefinition> operations = new ArrayList<>();
		for (var definition : document.getDefinitions()) {
			if (definition instanceof FragmentDefinition fragment) {
				fragments.putIfAbsent(fragment.getName(), fragment);
			}
			else if (definition instanceof OperationDefinition operation) {
				operations.add(operation);
			}
		}
		Map<String, Stats> measured = new HashMap<>();
		for (FragmentDefinition fragment : dependenciesFirst(fragments)) {
			boolean introspection = fragment.getTypeCondition().getName().startsWith("__");
			Stats stats = measure(fragment.getSelectionSet(), measured, introspection)
				.plusDirectives(fragment.getDirectives().size());
			measured.put(fragment.getName(), stats);
			// checked on its own too: an unused fragment is still validated
			GraphQLError error = exceeded(stats, limits, false);
			if (error != null) {
				return error;
			}
		}
		for (OperationDefinition operation : operations) {
			Stats stats = measure(operation.getSelectionSet(), measured, false)
				.plusDirectives(operation.getDirectives().size());
			GraphQLError error = exceeded(stats, limits, true);
			if (error != null) {
				return error;
			}
		}
		return null;
	}

	private static GraphQLError exceeded(Stats stats, Limits limits, boolean operation) {
		if (stats.depth() > limits.maxDepth()) {
			return Limit.MAX_DEPTH.error(limits.maxDepth(), stats.depth());
		}
		if (stats.aliases() > limits.maxAliases()) {
			return Limit.MAX_ALIASES.error(limits.maxAliases(), stats.aliases());
		}
		if (operation && stats.rootFields() > limits.maxRootFields()) {
			return Limit.MAX_ROOT_FIELDS.error(limits.maxRootFields(), stats.rootFields());
		}
		if (stats.directives() > limits.maxDirectives()) {
			return Limit.MAX_DIRECTIVES.error(limits.maxDirectives(), stats.directives());
		}
		return null;
	}

	/**
	 * Fragments ordered so that each comes after the fragments it spreads (Kahn's
	 * algorithm); fragments on a cycle come last, in document order.
	 */
	static List<FragmentDefinition> dependenciesFirst(Map<String, FragmentDefinition> fragments) {
		Map<String, Set<String>> spreads = new HashMap<>();
		Map<String, List<String>> spreadBy = new HashMap<>();
		Map<String, Integer> pending = new HashMap<>();
		Deque<String> ready = new ArrayDeque<>();
		for (FragmentDefinition fragment : fragments.values()) {
			Set<String> names = spreadNames(fragment.getSelectionSet());
			names.retainAll(fragments.keySet());
			spreads.put(fragment.getName(), names);
			pending.put(fragment.getName(), names.size());
			for (String name : names) {
				spreadBy.computeIfAbsent(name, (key) -> new ArrayList<>()).add(fragment.getName());
			}
			if (names.isEmpty()) {
				ready.add(fragment.getName());
			}
		}
		List<FragmentDefinition> order = new ArrayList<>(fragments.size());
		Set<String> placed = new LinkedHashSet<>();
		while (!ready.isEmpty()) {
			String name = ready.poll();
			placed.add(name);
			order.add(fragments.get(name));
			for (String dependent : spreadBy.getOrDefault(name, List.of())) {
				if (pending.merge(dependent, -1, Integer::sum) == 0) {
					ready.add(dependent);
				}
			}
		}
		for (FragmentDefinition fragment : fragments.values()) {
			if (!placed.contains(fragment.getName())) {
				order.add(fragment);
			}
		}
		return order;
	}

	private static Set<String> spreadNames(SelectionSet root) {
		Set<String> names = new LinkedHashSet<>();
		Deque<SelectionSet> sets = new ArrayDeque<>();
		sets.push(root);
		while (!sets.isEmpty()) {
			for (Selection<?> selection : sets.pop().getSelections()) {
				if (selection instanceof FragmentSpread spread) {
					names.add(spread.getName());
				}
				else if (selection instanceof Field field && field.getSelectionSet() != null) {
					sets.push(field.getSelectionSet());
				}
				else if (selection instanceof InlineFragment inline) {
					sets.push(inline.getSelectionSet());
				}
			}
		}
		return names;
	}

	/**
	 * Walks a selection set top-down with an explicit stack; a spread adds the stats of
	 * its (already measured) fragment, a spread of an unmeasured one (a cycle, or an
	 * unknown name) adds nothing.
	 */
	private static Stats measure(SelectionSet root, Map<String, Stats> fragments, boolean introspection) {
		long depth = 0;
		long aliases = 0;
		long directives = 0;
		long rootFields = 0;
		Deque<Level> levels = new ArrayDeque<>();
		levels.push(new Level(root, 1, introspection));
		while (!levels.isEmpty()) {
			Level level = levels.pop();
			for (Selection<?> selection : level.set().getSelections()) {
				if (selection instanceof Field field) {
					if (!level.introspection()) {
						depth = Math.max(depth, level.depth());
					}
					if (field.getAlias() != null) {
						aliases = add(aliases, 1);
					}
					directives = add(directives, field.getDirectives().size());
					if (level.depth() == 1) {
						rootFields = add(rootFields, 1);
					}
					if (field.getSelectionSet() != null) {
						// graphql-java bounds introspection itself
						// (GoodFaithIntrospection)
						boolean introspective = level.introspection() || field.getName().equals("__schema")
								|| field.getName().equals("__type");
						levels.push(new Level(field.getSelectionSet(), level.depth() + 1, introspective));
					}
				}
				else if (selection instanceof InlineFragment inline) {
					directives = add(directives, inline.getDirectives().size());
					levels.push(new Level(inline.getSelectionSet(), level.depth(), level.introspection()));
				}
				else if (selection instanceof FragmentSpread spread) {
					directives = add(directives, spread.getDirectives().size());
					Stats fragment = fragments.get(spread.getName());
					if (fragment != null) {
						if (!level.introspection() && fragment.depth() > 0) {
							depth = Math.max(depth, level.depth() - 1 + fragment.depth());
						}
						aliases = add(aliases, fragment.aliases());
						directives = add(directives, fragment.directives());
						if (level.depth() == 1) {
							rootFields = add(rootFields, fragment.rootFields());
						}
					}
				}
			}
		}
		return new Stats(depth, aliases, directives, rootFields);
	}

	private static long add(long a, long b) {
		return Math.min(CAP, a + b);
	}

	private record Level(SelectionSet set, long depth, boolean introspection) {
	}

	/** What a selection set asks for, fragments expanded. */
	private record Stats(long depth, long aliases, long directives, long rootFields) {

		Stats plusDirectives(int count) {
			return new Stats(this.depth, this.aliases, add(this.directives, count), this.rootFields);
		}

	}

}
