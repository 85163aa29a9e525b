package dev.boardcast;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.scheduling.annotation.EnableScheduling;

/** Boardcast: real-time collaborative task boards over a schema-first GraphQL API. */
@SpringBootApplication
@EnableScheduling
public class BoardcastApplication {

	public static void main(String[] args) {
		SpringApplication.run(BoardcastApplication.class, args);
	}

}
