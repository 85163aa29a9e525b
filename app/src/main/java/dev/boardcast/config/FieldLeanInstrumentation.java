package dev.boardcast.config;

import java.lang.reflect.Method;
import java.util.List;
import java.util.function.Predicate;

import graphql.execution.instrumentation.ChainedInstrumentation;
import graphql.execution.instrumentation.ExecuteObjectInstrumentationContext;
import graphql.execution.instrumentation.FieldFetchingInstrumentationContext;
import graphql.execution.instrumentation.Instrumentation;
import graphql.execution.instrumentation.InstrumentationContext;
import graphql.execution.instrumentation.InstrumentationState;
import graphql.execution.instrumentation.SimplePerformantInstrumentation;
import graphql.execution.instrumentation.parameters.InstrumentationExecutionStrategyParameters;
import graphql.execution.instrumentation.parameters.InstrumentationFieldCompleteParameters;
import graphql.execution.instrumentation.parameters.InstrumentationFieldFetchParameters;
import graphql.execution.instrumentation.parameters.InstrumentationFieldParameters;
import graphql.schema.DataFetcher;

/**
 * graphql-java's chain of instrumentations, minus its cost on every field and object when
 * no instrumentation of the chain does anything there: a board read resolves thousands of
 * fields, and the chain otherwise builds a list and a context for each hook of each one.
 * A hook no instrumentation overrides (its method is still the default of
 * {@link Instrumentation} or {@link SimplePerformantInstrumentation}, both of which do
 * nothing) answers what {@link SimplePerformantInstrumentation} answers; any other hook
 * goes through the whole chain as before. Instrumentations that say so (see
 * {@code skipFields}) are left out of the per-field decision.
 */
class FieldLeanInstrumentation extends ChainedInstrumentation {

	private static final SimplePerformantInstrumentation NOTHING = SimplePerformantInstrumentation.INSTANCE;

	private final boolean executeObject;

	private final boolean deferredField;

	private final boolean fieldExecution;

	private final boolean fieldFetch;

	private final boolean fieldCompletion;

	private final boolean fieldListCompletion;

	private final boolean dataFetcher;

	/**
	 * @param skipFields instrumentations whose per-field hooks are known to do nothing
	 * (though their class overrides them)
	 */
	FieldLeanInstrumentation(List<Instrumentation> instrumentations, Predicate<Instrumentation> skipFields) {
		super(instrumentations);
		List<Instrumentation> fields = instrumentations.stream().filter(skipFields.negate()).toList();
		this.executeObject = overridden(fields, "beginExecuteObject", InstrumentationExecutionStrategyParameters.class);
		this.deferredField = overridden(fields, "beginDeferredField", InstrumentationFieldParameters.class);
		this.fieldExecution = overridden(fields, "beginFieldExecution", InstrumentationFieldParameters.class);
		// the default beginFieldFetching adapts beginFieldFetch
		this.fieldFetch = overridden(fields, "beginFieldFetch", InstrumentationFieldFetchParameters.class)
				|| overridden(fields, "beginFieldFetching", InstrumentationFieldFetchParameters.class);
		this.fieldCompletion = overridden(fields, "beginFieldCompletion", InstrumentationFieldCompleteParameters.class);
		this.fieldListCompletion = overridden(fields, "beginFieldListCompletion",
				InstrumentationFieldCompleteParameters.class);
		this.dataFetcher = overridden(fields, "instrumentDataFetcher", DataFetcher.class,
				InstrumentationFieldFetchParameters.class, InstrumentationState.class);
	}

	private static boolean overridden(List<Instrumentation> instrumentations, String name, Class<?>... parameters) {
		Class<?>[] types = parameters;
		if (!name.equals("instrumentDataFetcher")) {
			types = new Class<?>[] { parameters[0], InstrumentationState.class };
		}
		for (Instrumentation instrumentation : instrumentations) {
			try {
				Method method = instrumentation.getClass().getMethod(name, types);
				Class<?> declaring = method.getDeclaringClass();
				if (declaring != Instrumentation.class && declaring != SimplePerformantInstrumentation.class) {
					return true;
				}
			}
			catch (NoSuchMethodException ex) {
				// graphql-java changed its hooks: keep the whole chain
				return true;
			}
		}
		return false;
	}

	/** Whether the per-field hooks skip the chain (for tests and logs). */
	boolean leanOnFields() {
		return !(this.executeObject || this.deferredField || this.fieldExecution || this.fieldFetch
				|| this.fieldCompletion || this.fieldListCompletion || this.dataFetcher);
	}

	@Override
	public ExecuteObjectInstrumentationContext beginExecuteObject(InstrumentationExecutionStrategyParameters parameters,
			InstrumentationState state) {
		return this.executeObject ? super.beginExecuteObject(parameters, state)
				: NOTHING.beginExecuteObject(parameters, state);
	}

	@Override
	public InstrumentationContext<Object> beginDeferredField(InstrumentationFieldParameters parameters,
			InstrumentationState state) {
		return this.deferredField ? super.beginDeferredField(parameters, state)
				: NOTHING.beginDeferredField(parameters, state);
	}

	@Override
	public InstrumentationContext<Object> beginFieldExecution(InstrumentationFieldParameters parameters,
			InstrumentationState state) {
		return this.fieldExecution ? super.beginFieldExecution(parameters, state)
				: NOTHING.beginFieldExecution(parameters, state);
	}

	@Override
	public InstrumentationContext<Object> beginFieldFetch(InstrumentationFieldFetchParameters parameters,
			InstrumentationState state) {
		return this.fieldFetch ? super.beginFieldFetch(parameters, state) : NOTHING.beginFieldFetch(parameters, state);
	}

	@Override
	public FieldFetchingInstrumentationContext beginFieldFetching(InstrumentationFieldFetchParameters parameters,
			InstrumentationState state) {
		return this.fieldFetch ? super.beginFieldFetching(parameters, state)
				: NOTHING.beginFieldFetching(parameters, state);
	}

	@Override
	public InstrumentationContext<Object> beginFieldCompletion(InstrumentationFieldCompleteParameters parameters,
			InstrumentationState state) {
		return this.fieldCompletion ? super.beginFieldCompletion(parameters, state)
				: NOTHING.beginFieldCompletion(parameters, state);
	}

	@Override
	public InstrumentationContext<Object> beginFieldListCompletion(InstrumentationFieldCompleteParameters parameters,
			InstrumentationState state) {
		return this.fieldListCompletion ? super.beginFieldListCompletion(parameters, state)
				: NOTHING.beginFieldListCompletion(parameters, state);
	}

	@Override
	public DataFetcher<?> instrumentDataFetcher(DataFetcher<?> dataFetcher,
			InstrumentationFieldFetchParameters parameters, InstrumentationState state) {
		return this.dataFetcher ? super.instrumentDataFetcher(dataFetcher, parameters, state) : dataFetcher;
	}

}
