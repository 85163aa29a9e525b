package dev.boardcast.config;

import dev.boardcast.support.BoardcastTest;
import graphql.schema.FieldCoordinates;
import graphql.schema.GraphQLSchema;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.graphql.execution.GraphQlSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which of the schema's fields {@link SharedEventExecution} runs per subscriber: those
 * whose data fetcher takes the caller (the viewer, a principal), and no others.
 */
@BoardcastTest
class CallerFieldsTest {

	@Autowired
	GraphQlSource graphQlSource;

	@Test
	void theFieldsThatReadTheCallerAreTheOnesWhoseFetcherTakesThem() {
		GraphQLSchema schema = this.graphQlSource.schema();
		assertThat(readsCaller(schema, "BoardEvent", "board")).isTrue(); // Viewer
		assertThat(readsCaller(schema, "Column", "board")).isTrue(); // Principal
		// a property of the board that BoardEvent.board read for its viewer
		assertThat(readsCaller(schema, "Board", "myRole")).isFalse();
		assertThat(readsCaller(schema, "BoardEvent", "task")).isFalse(); // event state
		assertThat(readsCaller(schema, "BoardEvent", "actor")).isFalse(); // DataLoader
		assertThat(readsCaller(schema, "Task", "assignee")).isFalse(); // card field
		assertThat(readsCaller(schema, "Task", "title")).isFalse(); // property
	}

	private static boolean readsCaller(GraphQLSchema schema, String type, String field) {
		FieldCoordinates coordinates = FieldCoordinates.coordinates(type, field);
		return SharedEventExecution.readsCaller(schema.getCodeRegistry()
			.getDataFetcher(coordinates, schema.getObjectType(type).getFieldDefinition(field)));
	}

}
