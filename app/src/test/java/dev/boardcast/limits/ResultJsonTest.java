package dev.boardcast.limits;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.core.io.buffer.DataBuffer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A response written value by value is the JSON the application's mapper writes for the
 * same map, byte for byte: the values graphql-java puts in a result, and anything else an
 * error's extensions may hold.
 */
class ResultJsonTest {

	private final JsonMapper json = JsonMapper.builder().build();

	record Detail(String field, int limit) {
	}

	@Test
	void writesWhatTheMapperWrites() {
		Map<String, Object> task = new LinkedHashMap<>();
		task.put("id", "7c1d\u00e9\"quoted\"\n\\");
		task.put("number", 42);
		task.put("big", 9_007_199_254_740_993L);
		task.put("ratio", 0.25);
		task.put("exact", new BigDecimal("12.50"));
		task.put("huge", new BigInteger("123456789012345678901234567890"));
		task.put("done", false);
		task.put("dueDate", null);
		task.put("labels", List.of(Map.of("name", "bug \u2603"), Map.of("name", "ui")));
		task.put("nested", Arrays.asList(List.of(), null, List.of(1, 2)));
		Map<String, Object> extensions = new LinkedHashMap<>();
		extensions.put("code", "QUERY_TOO_COMPLEX");
		extensions.put("detail", new Detail("first", 100));
		extensions.put("at", OffsetDateTime.parse("2026-12-01T10:15:30.123+01:00"));
		Map<String, Object> result = new LinkedHashMap<>();
		result.put("errors", List.of(Map.of("message", "too deep", "extensions", extensions)));
		result.put("data", Map.of("board", Map.of("tasks", List.of(task))));

		DataBuffer written = new ResultJson(this.json).write(result);

		assertThat(written.toString(StandardCharsets.UTF_8)).isEqualTo(this.json.writeValueAsString(result))
			.contains("\"detail\":{\"field\":\"first\",\"limit\":100}");
	}

}
