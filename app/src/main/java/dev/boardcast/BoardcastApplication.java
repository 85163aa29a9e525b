package dev.boardcast;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.metrics.buffering.BufferingApplicationStartup;
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
		SpringApplication application = new SpringApplication(BoardcastApplication.class);
		// -Dboardcast.startup-steps=N records the first N steps of the start
		// (configuration
		// classes, each bean's creation) for the actuator's startup endpoint, where
		// bench/startup.sh reads where the start's time goes; nothing is recorded by
		// default
		Integer steps = Integer.getInteger("boardcast.startup-steps");
		if (steps != null) {
			application.setApplicationStartup(new BufferingApplicationStartup(steps));
		}
		application.run(args);
	}

}
