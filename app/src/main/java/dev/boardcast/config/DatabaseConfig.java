package dev.boardcast.config;

import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Predicate;

import io.r2dbc.postgresql.PostgresqlConnectionFactoryProvider;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.Result;
import io.r2dbc.spi.Row;
import io.r2dbc.spi.RowMetadata;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.context.Context;

import org.springframework.boot.r2dbc.autoconfigure.ConnectionFactoryOptionsBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.r2dbc.core.DatabaseClient;

/**
 * The DatabaseClient every repository uses: Spring Boot's (the connection factory, its
 * bind markers), with the statements' results read in an empty Reactor context. The
 * driver decodes each message of a result in a {@code handle} operator, and Reactor
 * restores the subscriber's context into thread locals (observation, request, security)
 * around every call of one whenever that context is not empty: per row, work nothing here
 * needs. Only the reading of a statement's results is affected: the connection (and the
 * transaction it belongs to) is found in the request's context as before.
 */
@Configuration(proxyBeanMethods = false)
class DatabaseConfig {

	/**
	 * Results in PostgreSQL's binary format: a timestamp is then 8 bytes to read, not
	 * text to parse (three per task, the biggest part of decoding a board's tasks).
	 */
	@Bean
	ConnectionFactoryOptionsBuilderCustomizer binaryResults() {
		return (options) -> options.option(PostgresqlConnectionFactoryProvider.FORCE_BINARY, true);
	}

	@Bean
	DatabaseClient r2dbcDatabaseClient(ConnectionFactory connectionFactory) {
		return DatabaseClient.builder()
			.connectionFactory(connectionFactory)
			.executeFunction((statement) -> Flux.from(statement.execute())
				.<Result>map(ContextFreeResult::new)
				.contextWrite(DatabaseConfig::empty))
			.build();
	}

	private static Context empty(Context context) {
		return Context.empty();
	}

	/** A result whose rows and counts are read in an empty Reactor context. */
	private record ContextFreeResult(Result result) implements Result {

		@Override
		public Publisher<Long> getRowsUpdated() {
			return Mono.from(this.result.getRowsUpdated()).contextWrite(DatabaseConfig::empty);
		}

		@Override
		public <T> Publisher<T> map(BiFunction<Row, RowMetadata, ? extends T> mappingFunction) {
			return Flux.<T>from(this.result.map(mappingFunction)).contextWrite(DatabaseConfig::empty);
		}

		@Override
		public <T> Publisher<T> map(Function<? super io.r2dbc.spi.Readable, ? extends T> mappingFunction) {
			return Flux.<T>from(this.result.map(mappingFunction)).contextWrite(DatabaseConfig::empty);
		}

		@Override
		public Result filter(Predicate<Segment> filter) {
			return new ContextFreeResult(this.result.filter(filter));
		}

		@Override
		public <T> Publisher<T> flatMap(Function<Segment, ? extends Publisher<? extends T>> mappingFunction) {
			return Flux.<T>from(this.result.flatMap(mappingFunction)).contextWrite(DatabaseConfig::empty);
		}

	}

}
