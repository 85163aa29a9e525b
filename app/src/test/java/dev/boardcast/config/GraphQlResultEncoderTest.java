package dev.boardcast.config;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.DayOfWeek;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.core.ResolvableType;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.MediaType;
import org.springframework.http.codec.json.JacksonJsonEncoder;
import org.springframework.http.codec.support.DefaultServerCodecConfigurer;
import org.springframework.http.codec.HttpMessageWriter;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The GraphQL answer writer sends exactly the bytes Jackson's encoder sends, for every
 * kind of value an answer holds and for those it hands to the mapper.
 */
class GraphQlResultEncoderTest {

	private static final ResolvableType MAP = ResolvableType.forClass(LinkedHashMap.class);

	private final JsonMapper mapper = JsonMapper.builder().build();

	private final GraphQlResultEncoder encoder = new GraphQlResultEncoder(this.mapper);

	private final JacksonJsonEncoder jackson = new JacksonJsonEncoder(this.mapper);

	@Test
	void writesTheBytesJacksonWrites() {
		Map<String, Object> task = new LinkedHashMap<>();
		task.put("id", "0b7e1c2a-3f4d-4e5f-8a9b-0c1d2e3f4a5b");
		task.put("number", 42);
		task.put("title", "Quotes \" and \\ backslash, tab\t, newline\n, é, 😀 and \u0001");
		task.put("priority", null);
		task.put("done", true);
		task.put("count", 9_007_199_254_740_993L);
		task.put("ratio", 0.1);
		task.put("huge", new BigDecimal("12345678901234567890.125"));
		task.put("bigger", new BigInteger("123456789012345678901234567890"));
		task.put("float", 1.5f);
		task.put("at", OffsetDateTime.of(2026, 12, 1, 3, 4, 5, 6_000_000, ZoneOffset.UTC));
		task.put("day", DayOfWeek.MONDAY);
		task.put("labels", List.of(Map.of("name", "bug", "color", "#ff0000"), Map.of()));
		task.put("tags", new LinkedHashSet<>(List.of("a", "b")));
		task.put("nested", new ArrayList<>(Arrays.asList(null, List.of(), List.of(1, 2))));
		task.put("byNumber", new LinkedHashMap<>(Map.of(1, "one")));
		task.put("byDay", new LinkedHashMap<>(Map.of(DayOfWeek.FRIDAY, "five")));
		Map<String, Object> error = new LinkedHashMap<>();
		error.put("message", "Not found");
		error.put("locations", List.of(Map.of("line", 1, "column", 9)));
		error.put("path", List.of("board", "columns", 0));
		error.put("extensions", Map.of("code", "NOT_FOUND", "retryAfterSeconds", 3L));
		Map<String, Object> result = new LinkedHashMap<>();
		result.put("data", Map.of("task", task));
		result.put("errors", List.of(error));

		for (MediaType type : List.of(MediaType.APPLICATION_JSON, MediaType.APPLICATION_GRAPHQL_RESPONSE)) {
			String ours = text(this.encoder.encode(Mono.just(result), DefaultDataBufferFactory.sharedInstance, MAP,
					type, Map.of()));
			String theirs = text(this.jackson.encode(Mono.just(result), DefaultDataBufferFactory.sharedInstance, MAP,
					type, Map.of()));
			assertThat(ours).isEqualTo(theirs).contains("\"title\":\"Quotes \\\" and \\\\ backslash");
		}
	}

	@Test
	void aStreamOfMapsIsLeftToJackson() {
		List<Map<String, Object>> items = List.of(Map.of("a", 1), Map.of("b", 2));
		String ours = text(this.encoder.encode(Flux.fromIterable(items), DefaultDataBufferFactory.sharedInstance, MAP,
				MediaType.APPLICATION_JSON, Map.of()));
		assertThat(ours).isEqualTo("[{\"a\":1},{\"b\":2}]");
	}

	@Test
	void answersMapsAheadOfJacksonAndNothingElse() {
		DefaultServerCodecConfigurer codecs = new DefaultServerCodecConfigurer();
		codecs.customCodecs().register(this.encoder);
		HttpMessageWriter<?> forMaps = codecs.getWriters()
			.stream()
			.filter((writer) -> writer.canWrite(MAP, MediaType.APPLICATION_GRAPHQL_RESPONSE))
			.findFirst()
			.orElseThrow();
		assertThat(forMaps.getWritableMediaTypes()).contains(MediaType.APPLICATION_GRAPHQL_RESPONSE);
		assertThat(this.encoder.canEncode(MAP, MediaType.APPLICATION_JSON)).isTrue();
		assertThat(this.encoder.canEncode(ResolvableType.forClass(List.class), MediaType.APPLICATION_JSON)).isFalse();
		assertThat(this.encoder.canEncode(MAP, MediaType.TEXT_PLAIN)).isFalse();
		assertThat(((org.springframework.http.codec.EncoderHttpMessageWriter<?>) forMaps).getEncoder())
			.isSameAs(this.encoder);
	}

	private static String text(Flux<DataBuffer> buffers) {
		return DataBufferUtils.join(buffers).map((buffer) -> {
			String text = buffer.toString(StandardCharsets.UTF_8);
			DataBufferUtils.release(buffer);
			return text;
		}).block();
	}

}
