package dev.airlock;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.springframework.modulith.core.ApplicationModules;
import org.springframework.modulith.docs.Documenter;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The module map of the README, checked: no cycles, no reaching into another module's
 * internals, and each module depends only on what its {@code package-info.java} allows.
 */
class ModularityTests {

	static final ApplicationModules MODULES = ApplicationModules.of(AirlockApplication.class);

	/**
	 * The diagram the README shows, kept in the repository and compared with the code's.
	 */
	static final Path COMMITTED_DIAGRAM = Path.of("docs/modules/components.puml");

	@Test
	void modulesAreWellFormed() {
		MODULES.verify();
	}

	@Test
	void theCommittedModuleDiagramIsTheCodes() throws IOException {
		var output = Path.of("target/spring-modulith-docs");
		new Documenter(MODULES, Documenter.Options.defaults().withOutputFolder(output.toString()))
			.writeModulesAsPlantUml()
			.writeIndividualModulesAsPlantUml()
			.writeModuleCanvases();
		// the same lines: the documenter's order of modules and relations is not stable
		var generated = Files.readAllLines(output.resolve("components.puml"));
		assertThat(Files.readAllLines(COMMITTED_DIAGRAM))
			.as("docs/modules/components.puml is out of date: copy %s over it", output.resolve("components.puml"))
			.containsExactlyInAnyOrderElementsOf(generated);
	}

}
