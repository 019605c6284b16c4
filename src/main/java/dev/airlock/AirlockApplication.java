package dev.airlock;

import dev.airlock.audit.AuditFileVerifier;
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
		if (args.length > 0 && args[0].equals("verify-audit")) {
			// offline: no database, no Spring; checks an export file and exits
			if (args.length != 2) {
				System.err.println("usage: java -jar airlock.jar verify-audit FILE");
				System.exit(2);
			}
			System.exit(AuditFileVerifier.run(args[1], System.out));
		}
		SpringApplication.run(AirlockApplication.class, args);
	}

}
