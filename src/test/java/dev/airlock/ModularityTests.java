package dev.airlock;

import org.junit.jupiter.api.Test;
import org.springframework.modulith.core.ApplicationModules;

/**
 * The module structure of STYLE.md: no cycles, no reaching into another module's
 * internals.
 */
class ModularityTests {

	static final ApplicationModules MODULES = ApplicationModules.of(AirlockApplication.class);

	@Test
	void modulesAreWellFormed() {
		MODULES.verify();
	}

}
