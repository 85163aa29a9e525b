package dev.boardcast.common;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.UUID;

/**
 * Parses client-supplied ids: an id of the wrong shape is NOT_FOUND, exactly like an
 * unknown one.
 */
public final class Ids {

	private Ids() {
	}

	public static UUID parse(String field, String what, String id) {
		if (id == null || id.length() != 36) {
			throw ApiException.notFound(what, field);
		}
		try {
			return UUID.fromString(id);
		}
		catch (IllegalArgumentException ex) {
			throw ApiException.notFound(what, field);
		}
	}

	/** Null when {@code id} is null. */
	public static UUID parseOptional(String field, String what, String id) {
		return (id != null) ? parse(field, what, id) : null;
	}

	/** Distinct ids in the order given. */
	public static List<UUID> parseAll(String field, String what, List<String> ids) {
		LinkedHashSet<UUID> result = new LinkedHashSet<>();
		for (String id : ids) {
			result.add(parse(field, what, id));
		}
		return new ArrayList<>(result);
	}

}
