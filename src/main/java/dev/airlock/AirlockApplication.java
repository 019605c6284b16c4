package dev.airlock;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.modulith.Modulithic;

/** Airlock: sandboxes-as-a-service for AI agents. */
@Modulithic(sharedModules = "core")
@SpringBootApplication
@ConfigurationPropertiesScan
public class AirlockApplication {

	public static void main(String[] args) {
		SpringApplication.run(AirlockApplication.class, args);
	}
}
