package dev.boardcast.limits;

import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import graphql.ExecutionInput;
import graphql.GraphQLError;
import graphql.execution.preparsed.PreparsedDocumentEntry;
import graphql.execution.preparsed.PreparsedDocumentProvider;
import graphql.language.Document;
import graphql.parser.InvalidSyntaxException;
import graphql.parser.Parser;
import graphql.parser.ParserEnvironment;
import graphql.parser.ParserOptions;
import graphql.parser.exceptions.ParseCancelledException;
import graphql.parser.exceptions.ParseCancelledTooDeepException;
import graphql.parser.exceptions.ParseCancelledTooManyCharsException;

/**
 * Every document passes here before graphql-java validates it: too many characters is
 * refused unread, the parser stops at the token limit, and the static limits
 * ({@link DocumentChecks}) are checked before validation, whose overlapping-fields rule
 * is quadratic in repeated fields. Documents that parse and validate are cached, so a
 * known document costs a map lookup (then only the per-request cost check runs).
 */
final class CheckedDocuments implements PreparsedDocumentProvider {

	/**
	 * Cached text in characters: a document that passed the limits is at most
	 * {@code maxTokens} tokens, so this keeps the cache (keys and syntax trees) to some
	 * tens of MB even when filled with the largest documents.
	 */
	private static final long CACHE_WEIGHT = 1_000_000;

	private final Limits limits;

	private final ParserOptions parserOptions;

	private final Cache<String, PreparsedDocumentEntry> valid;

	CheckedDocuments(Limits limits) {
		this.limits = limits;
		this.parserOptions = ParserOptions.getDefaultOperationParserOptions()
			.transform((options) -> options.maxTokens(limits.maxTokens())
				.maxCharacters(limits.maxCharacters())
				// characters are checked first, so whitespace alone can never stop the
				// parse
				.maxWhitespaceTokens(limits.maxCharacters()));
		this.valid = Caffeine.newBuilder()
			.maximumWeight(CACHE_WEIGHT)
			.<String, PreparsedDocumentEntry>weigher((query, entry) -> query.length() + 100)
			.build();
	}

	@Override
	public CompletableFuture<PreparsedDocumentEntry> getDocumentAsync(ExecutionInput input,
			Function<ExecutionInput, PreparsedDocumentEntry> parseAndValidate) {
		String query = input.getQuery();
		PreparsedDocumentEntry entry = this.valid.getIfPresent(query);
		if (entry == null) {
			entry = check(input);
			if (entry == null) {
				// graphql-java parses again, with the same options, so it cannot fail
				// where ours passed
				input.getGraphQLContext().put(ParserOptions.class, this.parserOptions);
				entry = parseAndValidate.apply(input);
				if (!entry.hasErrors()) {
					this.valid.put(query, entry);
				}
			}
		}
		return CompletableFuture.completedFuture(entry);
	}

	/** The refusal of a document, or null when graphql-java may validate it. */
	private PreparsedDocumentEntry check(ExecutionInput input) {
		String query = input.getQuery();
		if (query.length() > this.limits.maxCharacters()) {
			return refused(Limit.MAX_CHARACTERS.error(this.limits.maxCharacters(), (long) query.length()));
		}
		Document document;
		try {
			document = Parser.parse(ParserEnvironment.newParserEnvironment()
				.document(query)
				.parserOptions(this.parserOptions)
				.locale((input.getLocale() != null) ? input.getLocale() : Locale.ENGLISH)
				.build());
		}
		catch (ParseCancelledTooDeepException ex) {
			return refused(Limit.MAX_DEPTH.error(this.limits.maxDepth(), null));
		}
		catch (ParseCancelledTooManyCharsException ex) {
			return refused(Limit.MAX_CHARACTERS.error(this.limits.maxCharacters(), null));
		}
		catch (ParseCancelledException ex) {
			return refused(Limit.MAX_TOKENS.error(this.limits.maxTokens(), null));
		}
		catch (InvalidSyntaxException ex) {
			return new PreparsedDocumentEntry(ex.toInvalidSyntaxError());
		}
		GraphQLError error = DocumentChecks.check(document, this.limits);
		return (error != null) ? refused(error) : null;
	}

	private static PreparsedDocumentEntry refused(GraphQLError error) {
		return new PreparsedDocumentEntry(error);
	}

}
