package dev.boardcast.config;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import graphql.GraphQLContext;
import org.dataloader.DataLoader;
import org.dataloader.DataLoaderRegistry;

import org.springframework.graphql.execution.DefaultBatchLoaderRegistry;

/**
 * The controllers' batch loaders, made into a request's DataLoaders only when one of its
 * fields asks for them (see {@link OnDemandDataLoaderRegistry}). Spring for GraphQL's
 * registry makes all of them (26, each with its own cache map) for every request, and a
 * subscription is a request that lives as long as its socket: most never resolve a
 * batched field, yet kept every DataLoader. Each registration is held in its own
 * {@link DefaultBatchLoaderRegistry}, so one DataLoader can be made alone, exactly as
 * Spring for GraphQL would make it (options, context, Reactor context propagation).
 */
final class OnDemandBatchLoaderRegistry extends DefaultBatchLoaderRegistry {

	private final List<DefaultBatchLoaderRegistry> registrations = new CopyOnWriteArrayList<>();

	/** Each registration by its DataLoader's name; filled on first use. */
	private volatile Map<String, DefaultBatchLoaderRegistry> byName = Map.of();

	@Override
	public <K, V> RegistrationSpec<K, V> forTypePair(Class<K> keyType, Class<V> valueType) {
		return registration().forTypePair(keyType, valueType);
	}

	@Override
	public <K, V> RegistrationSpec<K, V> forName(String name) {
		return registration().forName(name);
	}

	private DefaultBatchLoaderRegistry registration() {
		DefaultBatchLoaderRegistry registration = new DefaultBatchLoaderRegistry();
		this.registrations.add(registration);
		return registration;
	}

	@Override
	public boolean hasRegistrations() {
		return !this.registrations.isEmpty();
	}

	/**
	 * An {@link OnDemandDataLoaderRegistry} learns where to get its DataLoaders from; any
	 * other registry gets all of them now, as with Spring for GraphQL's registry.
	 */
	@Override
	public void registerDataLoaders(DataLoaderRegistry registry, GraphQLContext context) {
		if (registry instanceof OnDemandDataLoaderRegistry onDemand) {
			onDemand.loadFrom(this, context);
			return;
		}
		for (DefaultBatchLoaderRegistry registration : this.registrations) {
			registration.registerDataLoaders(registry, context);
		}
	}

	boolean has(String name) {
		return byName().containsKey(name);
	}

	/**
	 * A new DataLoader of the request with this context, or null when no loader has that
	 * name.
	 */
	DataLoader<?, ?> create(String name, GraphQLContext context) {
		DefaultBatchLoaderRegistry registration = byName().get(name);
		if (registration == null) {
			return null;
		}
		DataLoaderRegistry one = new DataLoaderRegistry();
		registration.registerDataLoaders(one, context);
		return one.getDataLoader(name);
	}

	/**
	 * The names, known once every registration is in: controllers and batch mappings
	 * register while the application starts, before any request.
	 */
	private Map<String, DefaultBatchLoaderRegistry> byName() {
		Map<String, DefaultBatchLoaderRegistry> names = this.byName;
		if (names.size() == this.registrations.size()) {
			return names;
		}
		Map<String, DefaultBatchLoaderRegistry> found = new HashMap<>();
		for (DefaultBatchLoaderRegistry registration : this.registrations) {
			DataLoaderRegistry one = new DataLoaderRegistry();
			registration.registerDataLoaders(one, GraphQLContext.newContext().build());
			for (String name : one.getKeys()) {
				if (found.put(name, registration) != null) {
					throw new IllegalStateException("More than one DataLoader named '" + name + "'");
				}
			}
		}
		names = Map.copyOf(found);
		this.byName = names;
		return names;
	}

}
