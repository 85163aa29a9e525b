package dev.boardcast.limits;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * What one request may ask of the server ({@code boardcast.limits.*}); README "Security"
 * explains each default.
 *
 * @param maxDepth levels of nested fields, fragments expanded (introspection excepted)
 * @param maxAliases aliased fields in one operation, fragments expanded
 * @param maxRootFields fields at the top of one operation
 * @param maxDirectives directives in one operation, fragments expanded
 * @param maxTokens lexical tokens of a document (graphql-java's parser stops there)
 * @param maxCharacters characters of a document
 * @param maxCost the most objects a response may hold (see {@link QueryCost})
 * @param maxBodySize bytes of a request body
 * @param maxRunning GraphQL operations executing at once on this replica, the rest
 * waiting their turn in order (see {@link RunningOperations}); 0: eight per core
 * @param maxWait how long an operation may wait for one of those places before it is
 * refused as overload (503 over HTTP)
 */
@ConfigurationProperties("boardcast.limits")
record Limits(@DefaultValue("10") int maxDepth, @DefaultValue("15") int maxAliases,
		@DefaultValue("10") int maxRootFields, @DefaultValue("20") int maxDirectives,
		@DefaultValue("2000") int maxTokens, @DefaultValue("65536") int maxCharacters,
		@DefaultValue("500000") long maxCost, @DefaultValue("512KB") DataSize maxBodySize,
		@DefaultValue("0") int maxRunning, @DefaultValue("500ms") Duration maxWait) {

	/** {@link #maxRunning()}, with 0 resolved for this machine. */
	int runningOperations() {
		return (this.maxRunning > 0) ? this.maxRunning : 8 * Runtime.getRuntime().availableProcessors();
	}

}
