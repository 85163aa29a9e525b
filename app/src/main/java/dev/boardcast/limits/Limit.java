package dev.boardcast.limits;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import dev.boardcast.common.ErrorCode;
import graphql.ErrorType;
import graphql.GraphQLError;
import graphql.GraphqlErrorBuilder;

/**
 * One limit of {@link Limits}, and the error that names it: {@code QUERY_TOO_COMPLEX}
 * with {@code limit}, {@code max} and (when known) {@code actual}, and a message that
 * says what to change.
 */
enum Limit {

	MAX_DEPTH("maxDepth", "fields nested %s levels deep", "Nest fewer fields or split the query."),

	MAX_ALIASES("maxAliases", "%s aliased fields", "Use fewer aliases or send several requests."),

	MAX_ROOT_FIELDS("maxRootFields", "%s top-level fields", "Send several requests."),

	MAX_DIRECTIVES("maxDirectives", "%s directives", "Use fewer directives."),

	MAX_TOKENS("maxTokens", "%s tokens", "Send a smaller document; pass long values as variables."),

	MAX_CHARACTERS("maxCharacters", "%s characters", "Send a smaller document; pass long values as variables."),

	MAX_COST("maxCost", "a response of up to %s objects",
			"Ask for smaller pages (first) or fewer fields, or split the query.");

	private final String key;

	private final String what;

	private final String advice;

	Limit(String key, String what, String advice) {
		this.key = key;
		this.what = what;
		this.advice = advice;
	}

	/** The name clients see in {@code extensions.limit}. */
	String key() {
		return this.key;
	}

	/** The environment variable that sets this limit. */
	String environmentVariable() {
		return "BOARDCAST_LIMITS_" + name();
	}

	/**
	 * The refusal; {@code actual} is null when the parser stopped before it could count.
	 */
	GraphQLError error(long max, Long actual) {
		String amount = (actual != null) ? String.format(Locale.ROOT, "%,d", actual)
				: String.format(Locale.ROOT, "more than %,d", max);
		Map<String, Object> extensions = new LinkedHashMap<>();
		extensions.put("code", ErrorCode.QUERY_TOO_COMPLEX.name());
		extensions.put("limit", this.key);
		extensions.put("max", max);
		if (actual != null) {
			extensions.put("actual", actual);
		}
		return GraphqlErrorBuilder.newError()
			.message(String.format(Locale.ROOT,
					"Query too complex: %s, at most %,d allowed (limit %s, set by %s on the server). %s",
					this.what.formatted(amount), max, this.key, environmentVariable(), this.advice))
			.errorType(ErrorType.ValidationError)
			.extensions(extensions)
			.build();
	}

}
