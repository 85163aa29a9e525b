package dev.boardcast.config;

import java.util.Map;

import graphql.GraphQLContext;
import org.dataloader.DataLoader;
import org.dataloader.DataLoaderRegistry;
import org.dataloader.instrumentation.DataLoaderInstrumentation;

/**
 * A request's DataLoaders, each made the first time a field asks for it by name. Until
 * then the request holds none: an idle subscription keeps no loader, a subscription whose
 * events resolve two batched fields keeps two. Everything else that looks at the registry
 * (dispatching, statistics, {@code FreshLoadsPerEvent} clearing caches per event) sees
 * the DataLoaders made so far, which are the only ones that can hold anything.
 */
final class OnDemandDataLoaderRegistry extends DataLoaderRegistry {

	private volatile OnDemandBatchLoaderRegistry loaders;

	private volatile GraphQLContext context;

	OnDemandDataLoaderRegistry() {
		this(Map.of(), null);
	}

	/** Copies {@code made} into a map of its own, instrumenting each. */
	private OnDemandDataLoaderRegistry(Map<String, DataLoader<?, ?>> made, DataLoaderInstrumentation instrumentation) {
		super(made, instrumentation);
	}

	/** Called by the registrar before the request executes. */
	void loadFrom(OnDemandBatchLoaderRegistry loaders, GraphQLContext context) {
		this.context = context;
		this.loaders = loaders;
	}

	/**
	 * The same registry with every DataLoader, made now or later, instrumented (Spring
	 * for GraphQL's {@code graphql.dataloader} observations replace the registry with an
	 * instrumented copy of it, which would otherwise hold only the loaders made so far).
	 */
	OnDemandDataLoaderRegistry instrumented(DataLoaderInstrumentation instrumentation) {
		OnDemandDataLoaderRegistry copy = new OnDemandDataLoaderRegistry(this.dataLoaders, instrumentation);
		copy.loadFrom(this.loaders, this.context);
		return copy;
	}

	@Override
	public <K, V> DataLoader<K, V> getDataLoader(String key) {
		DataLoader<K, V> loader = super.getDataLoader(key);
		OnDemandBatchLoaderRegistry source = this.loaders;
		if (loader != null || source == null || !source.has(key)) {
			return loader;
		}
		return computeIfAbsent(key, (name) -> source.create(name, this.context));
	}

}
