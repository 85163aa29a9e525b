package dev.boardcast;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.scheduling.annotation.EnableScheduling;

/** Boardcast: real-time collaborative task boards over a schema-first GraphQL API. */
@SpringBootApplication
@EnableScheduling
public class BoardcastApplication {

	public static void main(String[] args) {
		// Netty's leak detector samples buffer allocations (with a stack trace each)
		// unless
		// told otherwise; a debugging aid, off unless configured
		// (-Dio.netty.leakDetection.level=simple|advanced|paranoid)
		if (System.getProperty("io.netty.leakDetection.level") == null
				&& System.getProperty("io.netty.leakDetectionLevel") == null) {
			System.setProperty("io.netty.leakDetection.level", "disabled");
		}
		SpringApplication.run(BoardcastApplication.class, args);
	}

}
