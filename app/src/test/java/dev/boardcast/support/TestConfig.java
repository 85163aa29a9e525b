package dev.boardcast.support;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

/** Test-only beans of the shared context. */
@TestConfiguration(proxyBeanMethods = false)
public class TestConfig {

	@Bean
	static SqlCounter sqlCounter() {
		return new SqlCounter();
	}

}
