package dev.boardcast.config;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Collection;
import java.util.List;
import java.util.Map;

import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.core.ResolvableType;
import org.springframework.core.codec.AbstractEncoder;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferFactory;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.MediaType;
import org.springframework.http.codec.json.JacksonJsonEncoder;
import org.springframework.util.MimeType;

/**
 * Writes a JSON object answer (a GraphQL result: maps, lists, strings, numbers, booleans
 * and nulls) by walking it with Jackson's generator, straight into the response buffer.
 * Jackson's databind writes the same bytes, but looks up a serializer for every value of
 * every map: 8% of a board read's CPU. Any other value is handed to the same
 * {@link JsonMapper} as before, and anything but a single map (a stream of them, say)
 * goes to Jackson's encoder unchanged.
 */
final class GraphQlResultEncoder extends AbstractEncoder<Map<String, Object>> {

	private static final ResolvableType MAP = ResolvableType.forClass(Map.class);

	private final JsonMapper mapper;

	private final JacksonJsonEncoder jackson;

	GraphQlResultEncoder(JsonMapper mapper) {
		super(MediaType.APPLICATION_JSON, MediaType.APPLICATION_GRAPHQL_RESPONSE);
		this.mapper = mapper;
		this.jackson = new JacksonJsonEncoder(mapper);
	}

	@Override
	public boolean canEncode(ResolvableType elementType, MimeType mimeType) {
		// only maps: the codec stays ahead of Jackson's for them alone
		return MAP.isAssignableFrom(elementType) && super.canEncode(elementType, mimeType);
	}

	@Override
	public Flux<DataBuffer> encode(Publisher<? extends Map<String, Object>> input, DataBufferFactory factory,
			ResolvableType elementType, MimeType mimeType, Map<String, Object> hints) {
		if (input instanceof Mono<? extends Map<String, Object>> single) {
			return single.map((value) -> encodeValue(value, factory, elementType, mimeType, hints)).flux();
		}
		return this.jackson.encode(input, factory, elementType, mimeType, hints);
	}

	@Override
	public DataBuffer encodeValue(Map<String, Object> value, DataBufferFactory factory, ResolvableType valueType,
			MimeType mimeType, Map<String, Object> hints) {
		DataBuffer buffer = factory.allocateBuffer(1024);
		boolean written = false;
		try (OutputStream out = buffer.asOutputStream(); JsonGenerator json = this.mapper.createGenerator(out)) {
			write(json, value);
			written = true;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		finally {
			if (!written) {
				DataBufferUtils.release(buffer);
			}
		}
		return buffer;
	}

	private static void write(JsonGenerator json, Object value) {
		if (value == null) {
			json.writeNull();
		}
		else if (value instanceof String text) {
			json.writeString(text);
		}
		else if (value instanceof Map<?, ?> map) {
			json.writeStartObject();
			for (Map.Entry<?, ?> entry : map.entrySet()) {
				// a GraphQL result's keys are strings; Jackson writes numbers, UUIDs and
				// enums as keys the same way
				Object key = entry.getKey();
				json.writeName((key instanceof String name) ? name : String.valueOf(key));
				write(json, entry.getValue());
			}
			json.writeEndObject();
		}
		else if (value instanceof List<?> list) {
			json.writeStartArray();
			for (int i = 0, n = list.size(); i < n; i++) {
				write(json, list.get(i));
			}
			json.writeEndArray();
		}
		else if (value instanceof Integer number) {
			json.writeNumber(number);
		}
		else if (value instanceof Boolean bool) {
			json.writeBoolean(bool);
		}
		else if (value instanceof Long number) {
			json.writeNumber(number);
		}
		else if (value instanceof Double number) {
			json.writeNumber(number);
		}
		else if (value instanceof BigDecimal number) {
			json.writeNumber(number);
		}
		else if (value instanceof BigInteger number) {
			json.writeNumber(number);
		}
		else if (value instanceof Collection<?> collection) {
			json.writeStartArray();
			for (Object item : collection) {
				write(json, item);
			}
			json.writeEndArray();
		}
		else {
			// anything else (a float, a date, an enum, a record): as the mapper writes it
			json.writePOJO(value);
		}
	}

}
