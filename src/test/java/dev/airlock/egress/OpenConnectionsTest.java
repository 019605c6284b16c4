package dev.airlock.egress;

import java.io.Closeable;
import java.util.concurrent.atomic.AtomicInteger;

import dev.airlock.sandbox.SandboxEvents.SandboxEnded;
import dev.airlock.sandbox.SandboxStatus;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class OpenConnectionsTest {

	final OpenConnections open = new OpenConnections();

	@Test
	void aSandboxsEndClosesBothSidesOfEachOfItsConnectionsAndNoOtherSandboxs() {
		var closed = new AtomicInteger();
		Closeable side = closed::incrementAndGet;
		var first = open.hold("sbx_a", side);
		first.add(side); // its destination
		open.hold("sbx_a", side);
		var other = new AtomicInteger();
		open.hold("sbx_b", other::incrementAndGet);

		open.on(ended("sbx_a"));

		assertThat(closed).hasValue(3);
		assertThat(other).hasValue(0);
	}

	@Test
	void aConnectionAlreadyDoneIsForgotten() {
		var closed = new AtomicInteger();
		try (var held = open.hold("sbx_a", closed::incrementAndGet)) {
			held.add(closed::incrementAndGet);
		}

		open.on(ended("sbx_a"));

		assertThat(closed).hasValue(0);
	}

	private static SandboxEnded ended(String id) {
		return new SandboxEnded(id, "t", SandboxStatus.TERMINATED, "DELETED", null, "key:test");
	}

}
