package dev.airlock.enforcement;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;

import dev.airlock.core.Sha256;
import dev.airlock.runtime.EngineIdentity;
import dev.airlock.runtime.RuntimeUnavailable;
import net.javacrumbs.shedlock.core.DefaultLockingTaskExecutor;
import net.javacrumbs.shedlock.core.LockConfiguration;
import net.javacrumbs.shedlock.core.LockProvider;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * Runs a periodic task on one replica per engine at a time (ShedLock, on the database's
 * clock): each replica acts only on its engine's containers, so a lock shared by replicas
 * on different engines would leave some engines unattended.
 */
@Component
public class OnePerEngine {

	private final ObjectProvider<LockProvider> locks;

	private final ObjectProvider<EngineIdentity> engine;

	private final Clock clock;

	OnePerEngine(ObjectProvider<LockProvider> locks, ObjectProvider<EngineIdentity> engine, Clock clock) {
		this.locks = locks;
		this.engine = engine;
		this.clock = clock;
	}

	/**
	 * Runs {@code task} unless another replica on this engine runs the task called
	 * {@code name}; without the engine, runs it unlocked (a task decides nothing it
	 * cannot see, and says so).
	 */
	public void run(String name, Duration atMostFor, Runnable task) {
		String engineId;
		try {
			engineId = engine.getObject().engineId();
		}
		catch (RuntimeUnavailable e) {
			task.run();
			return;
		}
		new DefaultLockingTaskExecutor(locks.getObject()).executeWithLock(task,
				new LockConfiguration(clock.instant(), lockName(name, engineId), atMostFor, Duration.ZERO));
	}

	/**
	 * The ShedLock row of task {@code name} on engine {@code engineId} (the lock table's
	 * names are short; an engine's id need not be).
	 */
	public static String lockName(String name, String engineId) {
		return name + "@" + Sha256.hex(Sha256.of(engineId.getBytes(StandardCharsets.UTF_8))).substring(0, 16);
	}

}
