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
		// Reactor Netty gives the HTTP server and the R2DBC driver at least 4 event-loop
		// threads each, whatever the cores: on a small instance (one vCPU) a request then
		// hops between threads that take turns on that core, each hop a wake-up and a
		// context switch. One loop thread per core each, unless configured
		// (-Dreactor.netty.ioWorkerCount=N).
		if (System.getProperty("reactor.netty.ioWorkerCount") == null) {
			System.setProperty("reactor.netty.ioWorkerCount",
					Integer.toString(Runtime.getRuntime().availableProcessors()));
		}
		SpringApplication.run(BoardcastApplication.class, args);
	}

}
