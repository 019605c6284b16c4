package dev.airlock;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.RestController;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.methods;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/** The rules STYLE.md states that Modulith does not check. */
@AnalyzeClasses(packages = "dev.airlock", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTests {

	@ArchTest
	static final ArchRule onlyTheDockerAdapterImportsDockerJava = noClasses().that()
		.resideOutsideOfPackage("dev.airlock.runtime.docker..")
		.should()
		.dependOnClassesThat()
		.resideInAPackage("com.github.dockerjava..");

	@ArchTest
	static final ArchRule controllersLiveInWebPackages = classes().that()
		.areAnnotatedWith(RestController.class)
		.should()
		.resideInAPackage("..web..");

	@ArchTest
	static final ArchRule noTransactionsInWebPackages = noClasses().that()
		.resideInAPackage("..web..")
		.should()
		.beAnnotatedWith(Transactional.class);

	@ArchTest
	static final ArchRule noTransactionalMethodsInWebPackages = methods().that()
		.areDeclaredInClassesThat()
		.resideInAPackage("..web..")
		.should()
		.notBeAnnotatedWith(Transactional.class);

	@ArchTest
	static final ArchRule theRuntimePortSpeaksNoJpaOrWeb = noClasses().that()
		.resideInAPackage("dev.airlock.runtime")
		.should()
		.dependOnClassesThat()
		.resideInAnyPackage("jakarta.persistence..", "org.springframework.web..");

	@ArchTest
	static final ArchRule coreDependsOnNoOtherModule = noClasses().that()
		.resideInAPackage("dev.airlock.core..")
		.should()
		.dependOnClassesThat()
		.resideInAnyPackage("dev.airlock.security..", "dev.airlock.policy..", "dev.airlock.runtime..",
				"dev.airlock.sandbox..");

	@ArchTest
	static final ArchRule theRuntimeKnowsNothingOfSandboxesOrPolicies = noClasses().that()
		.resideInAPackage("dev.airlock.runtime..")
		.should()
		.dependOnClassesThat()
		.resideInAnyPackage("dev.airlock.security..", "dev.airlock.policy..", "dev.airlock.sandbox..");

}
