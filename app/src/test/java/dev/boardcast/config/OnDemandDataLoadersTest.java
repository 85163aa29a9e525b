package dev.boardcast.config;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import graphql.GraphQLContext;
import org.dataloader.BatchLoaderEnvironment;
import org.dataloader.DataLoader;
import org.dataloader.DataLoaderRegistry;
import org.dataloader.instrumentation.DataLoaderInstrumentation;
import org.dataloader.instrumentation.DataLoaderInstrumentationContext;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A request holds only the DataLoaders its fields asked for, each loading as a registered
 * one does; other registries still get all of them.
 */
class OnDemandDataLoadersTest {

	private final OnDemandBatchLoaderRegistry loaders = new OnDemandBatchLoaderRegistry();

	OnDemandDataLoadersTest() {
		this.loaders.<Integer, String>forName("names")
			.registerBatchLoader((keys, env) -> Flux.fromIterable(keys).map((key) -> "name " + key));
		this.loaders.forTypePair(Integer.class, Long.class)
			.registerMappedBatchLoader((keys, env) -> Mono.just(Map.of(1, 10L)));
	}

	@Test
	void aRequestHoldsNoDataLoaderUntilAFieldAsksForOne() {
		OnDemandDataLoaderRegistry registry = new OnDemandDataLoaderRegistry();
		this.loaders.registerDataLoaders(registry, GraphQLContext.newContext().build());
		assertThat(registry.getDataLoaders()).isEmpty();

		DataLoader<Integer, String> names = registry.getDataLoader("names");
		assertThat(names).isNotNull();
		assertThat(registry.<Integer, String>getDataLoader("names")).isSameAs(names);
		assertThat(registry.getKeys()).containsExactly("names");
		assertThat(registry.<Object, Object>getDataLoader("unknown")).isNull();

		var name = names.load(7);
		registry.dispatchAll();
		assertThat(name.join()).isEqualTo("name 7");
	}

	@Test
	void otherRegistriesGetEveryDataLoaderAtOnce() {
		DataLoaderRegistry registry = DataLoaderRegistry.newRegistry().build();
		this.loaders.registerDataLoaders(registry, GraphQLContext.newContext().build());
		assertThat(registry.getKeys()).containsExactlyInAnyOrder("names", Long.class.getName());
	}

	@Test
	void anInstrumentedCopyStillMakesDataLoadersOnDemandAndInstrumentsThem() {
		OnDemandDataLoaderRegistry registry = new OnDemandDataLoaderRegistry();
		this.loaders.registerDataLoaders(registry, GraphQLContext.newContext().build());
		AtomicInteger dispatches = new AtomicInteger();
		DataLoaderInstrumentation counting = new DataLoaderInstrumentation() {
			@Override
			public DataLoaderInstrumentationContext<List<?>> beginBatchLoader(DataLoader<?, ?> dataLoader, List<?> keys,
					BatchLoaderEnvironment environment) {
				dispatches.incrementAndGet();
				return DataLoaderInstrumentation.super.beginBatchLoader(dataLoader, keys, environment);
			}
		};

		OnDemandDataLoaderRegistry instrumented = registry.instrumented(counting);
		assertThat(instrumented.getDataLoaders()).isEmpty();
		DataLoader<Integer, Long> numbers = instrumented.getDataLoader(Long.class.getName());
		var number = numbers.load(1);
		instrumented.dispatchAll();
		assertThat(number.join()).isEqualTo(10L);
		assertThat(dispatches).hasValue(1);
	}

}
