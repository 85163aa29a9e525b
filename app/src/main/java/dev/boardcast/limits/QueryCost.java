package dev.boardcast.limits;

import java.math.BigInteger;
import java.util.HashMap;
import java.util.Map;

import dev.boardcast.column.ColumnService;
import dev.boardcast.common.PageRequest;
import dev.boardcast.label.LabelService;
import dev.boardcast.task.TaskService;
import graphql.execution.ExecutionContext;
import graphql.language.Argument;
import graphql.language.Field;
import graphql.language.FragmentDefinition;
import graphql.language.FragmentSpread;
import graphql.language.InlineFragment;
import graphql.language.IntValue;
import graphql.language.OperationDefinition;
import graphql.language.Selection;
import graphql.language.SelectionSet;
import graphql.language.Value;
import graphql.language.VariableReference;
import graphql.schema.GraphQLCompositeType;
import graphql.schema.GraphQLFieldDefinition;
import graphql.schema.GraphQLFieldsContainer;
import graphql.schema.GraphQLList;
import graphql.schema.GraphQLSchema;
import graphql.schema.GraphQLType;
import graphql.schema.GraphQLTypeUtil;

/**
 * The cost of an operation: the most objects its response can hold, as GitHub counts
 * nodes. Every field of an object type (or a list of them) counts one per object, times
 * the size of each list it sits in: a connection field ({@code first}) counts its
 * selection {@code first} times (the default page size when absent, the largest page when
 * above it; its {@code pageInfo} too, a slight over-estimate), {@code Board.columns} 50
 * times, {@code Board.labels} 100 times and {@code Task.labels} 20 times (what a board or
 * task may hold), any other list 100 times. Scalar fields are free: the token and alias
 * limits bound how many an object can have. Fragments count where they are spread,
 * {@code @skip}/{@code @include} are ignored (an upper bound), and introspection is left
 * to graphql-java's good-faith limits.
 * <p>
 * Runs per request, after validation (so fragments have no cycles): each fragment is
 * costed once, in dependency order, and recursion is bounded by the depth limit.
 */
final class QueryCost {

	/**
	 * Cost stops growing here; nested pages multiply, and no budget is anywhere near.
	 */
	static final long CAP = 1L << 40;

	private static final Map<String, Integer> LIST_SIZES = Map.of("Board.columns", ColumnService.MAX_COLUMNS,
			"Board.labels", LabelService.MAX_LABELS, "Task.labels", TaskService.MAX_LABELS_PER_TASK);

	private final GraphQLSchema schema;

	private final Map<String, Object> variables;

	private final Map<String, Long> fragments = new HashMap<>();

	private QueryCost(GraphQLSchema schema, Map<String, Object> variables) {
		this.schema = schema;
		this.variables = variables;
	}

	/** The cost of the operation about to execute. */
	static long of(ExecutionContext context) {
		QueryCost cost = new QueryCost(context.getGraphQLSchema(), context.getCoercedVariables().toMap());
		for (FragmentDefinition fragment : DocumentChecks.dependenciesFirst(context.getFragmentsByName())) {
			GraphQLType type = cost.schema.getType(fragment.getTypeCondition().getName());
			cost.fragments.put(fragment.getName(), (type instanceof GraphQLCompositeType composite)
					? cost.of(fragment.getSelectionSet(), composite) : 0);
		}
		OperationDefinition operation = context.getOperationDefinition();
		GraphQLCompositeType root = switch (operation.getOperation()) {
			case QUERY -> cost.schema.getQueryType();
			case MUTATION -> cost.schema.getMutationType();
			case SUBSCRIPTION -> cost.schema.getSubscriptionType();
		};
		return cost.of(operation.getSelectionSet(), root);
	}

	private long of(SelectionSet set, GraphQLCompositeType parent) {
		long total = 0;
		for (Selection<?> selection : set.getSelections()) {
			if (selection instanceof Field field) {
				total = add(total, of(field, parent));
			}
			else if (selection instanceof InlineFragment inline) {
				GraphQLType type = (inline.getTypeCondition() != null)
						? this.schema.getType(inline.getTypeCondition().getName()) : parent;
				if (type instanceof GraphQLCompositeType composite) {
					total = add(total, of(inline.getSelectionSet(), composite));
				}
			}
			else if (selection instanceof FragmentSpread spread) {
				total = add(total, this.fragments.getOrDefault(spread.getName(), 0L));
			}
		}
		return total;
	}

	private long of(Field field, GraphQLCompositeType parent) {
		String name = field.getName();
		if (field.getSelectionSet() == null) {
			return 0;
		}
		if (name.startsWith("__") || !(parent instanceof GraphQLFieldsContainer container)) {
			return 1;
		}
		GraphQLFieldDefinition definition = container.getFieldDefinition(name);
		if (definition == null) {
			return 1;
		}
		long children = 0;
		if (GraphQLTypeUtil.unwrapAll(definition.getType()) instanceof GraphQLCompositeType type) {
			children = of(field.getSelectionSet(), type);
		}
		return multiply(size(field, definition, container), add(1, children));
	}

	/** How many times a field's selection can appear under one parent. */
	private long size(Field field, GraphQLFieldDefinition definition, GraphQLFieldsContainer parent) {
		if (definition.getArgument("first") != null) {
			return pageSize(field.getArguments()
				.stream()
				.filter((argument) -> argument.getName().equals("first"))
				.findFirst()
				.orElse(null));
		}
		if (!(GraphQLTypeUtil.unwrapNonNull(definition.getType()) instanceof GraphQLList)) {
			return 1;
		}
		if (parent.getName().endsWith("Connection")) {
			// edges and nodes: the connection field already counted its page
			return 1;
		}
		return LIST_SIZES.getOrDefault(parent.getName() + "." + definition.getName(), PageRequest.MAX_SIZE);
	}

	private long pageSize(Argument first) {
		Value<?> value = (first != null) ? first.getValue() : null;
		Object size = null;
		if (value instanceof IntValue literal) {
			size = literal.getValue();
		}
		else if (value instanceof VariableReference variable) {
			size = this.variables.get(variable.getName());
		}
		if (size instanceof BigInteger big) {
			size = big.max(BigInteger.valueOf(-1)).min(BigInteger.valueOf(Integer.MAX_VALUE)).intValue();
		}
		if (!(size instanceof Number number)) {
			return PageRequest.DEFAULT_SIZE;
		}
		// a page outside 1..MAX_SIZE is refused when the field runs (BAD_USER_INPUT
		// first)
		return Math.max(0, Math.min(number.longValue(), PageRequest.MAX_SIZE));
	}

	private static long add(long a, long b) {
		return Math.min(CAP, a + b);
	}

	private static long multiply(long a, long b) {
		return (a != 0 && b > CAP / a) ? CAP : Math.min(CAP, a * b);
	}

}
