package dev.airlock.core;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** A deployment id goes into labels and volume names: only safe ones are taken. */
class DeploymentTest {

	@ParameterizedTest
	@ValueSource(strings = { "prod-eu.1", "3f2a9c0e5b7d4e1f8a6c2b9d0e4f7a1c", "a", "team_a",
			"a23456789012345678901234567890123456789012345678901234567890123" })
	void labelAndVolumeNameSafeIdsAreTaken(String id) {
		assertThat(new Deployment(id).id()).isEqualTo(id);
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "-leading-dash", ".hidden", "with space", "a/b", "a=b", "ünï", "a,b",
			"a234567890123456789012345678901234567890123456789012345678901234" })
	void anythingElseStopsTheStart(String id) {
		assertThatIllegalArgumentException().isThrownBy(() -> new Deployment(id))
			.withMessageContaining("airlock.deployment.id");
	}

}
