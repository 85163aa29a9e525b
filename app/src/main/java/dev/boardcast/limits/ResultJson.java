package dev.boardcast.limits;

import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Map;

import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;

/**
 * A GraphQL response as JSON, written value by value: what graphql-java puts in a result
 * is maps, lists, strings, numbers, booleans and nulls, and Jackson's serializer of a
 * {@code Map<String, Object>} looks up a serializer for each value of each map (a board
 * read has 250 tasks of 9 fields). Anything else (an error's extensions may hold other
 * objects) goes to the application's {@link JsonMapper} as before, so the bytes are the
 * same.
 */
final class ResultJson {

	private final JsonMapper json;

	ResultJson(JsonMapper json) {
		this.json = json;
	}

	DataBuffer write(Map<String, Object> result) {
		ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
		try (JsonGenerator generator = this.json.createGenerator(out)) {
			value(generator, result);
		}
		return DefaultDataBufferFactory.sharedInstance.wrap(out.toByteArray());
	}

	private static void value(JsonGenerator generator, Object value) {
		if (value == null) {
			generator.writeNull();
		}
		else if (value instanceof String text) {
			generator.writeString(text);
		}
		else if (value instanceof Map<?, ?> map) {
			generator.writeStartObject();
			for (Map.Entry<?, ?> entry : map.entrySet()) {
				generator.writeName((entry.getKey() instanceof String name) ? name : String.valueOf(entry.getKey()));
				value(generator, entry.getValue());
			}
			generator.writeEndObject();
		}
		else if (value instanceof List<?> list) {
			generator.writeStartArray();
			for (Object item : list) {
				value(generator, item);
			}
			generator.writeEndArray();
		}
		else if (value instanceof Boolean bool) {
			generator.writeBoolean(bool);
		}
		else if (value instanceof Integer number) {
			generator.writeNumber(number);
		}
		else if (value instanceof Long number) {
			generator.writeNumber(number);
		}
		else {
			// other numbers (none in this schema but Float's doubles) and other objects
			generator.writePOJO(value);
		}
	}

}
