package dev.airlock.exec;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.airlock.core.ValidationFailed;
import dev.airlock.core.Workdir;
import dev.airlock.egress.EgressDecisions;
import dev.airlock.exec.ExecEvents.ExecDenied;
import dev.airlock.exec.ExecEvents.ExecFinished;
import dev.airlock.exec.ExecEvents.ExecStarted;
import dev.airlock.policy.PolicyView;
import dev.airlock.runtime.ContainerExec;
import dev.airlock.runtime.ExecCancelled;
import dev.airlock.runtime.ExecOutput;
import dev.airlock.runtime.ExecSpec;
import dev.airlock.sandbox.SandboxActivity;
import dev.airlock.security.Caller;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Runs commands in RUNNING sandboxes under their pinned policy's limits: timeout and
 * output caps.
 */
@Service
public class ExecService {

	private static final Duration LONG_EXEC = Duration.ofSeconds(1);

	private final SandboxActivity activity;

	private final ContainerExec containers;

	private final ApplicationEventPublisher events;

	private final MeterRegistry meters;

	private final TransactionTemplate transaction;

	private final EgressDecisions egress;

	ExecService(SandboxActivity activity, ContainerExec containers, ApplicationEventPublisher events,
			MeterRegistry meters, PlatformTransactionManager transactions, EgressDecisions egress) {
		this.activity = activity;
		this.containers = containers;
		this.events = events;
		this.meters = meters;
		this.transaction = new TransactionTemplate(transactions);
		this.egress = egress;
	}

	/**
	 * Runs the command to its end and answers with its output, each stream cut at the
	 * policy's cap.
	 */
	public ExecResult run(String sandboxId, ExecCommand command, Caller caller) {
		var stdout = new ByteArrayOutputStream();
		var stderr = new ByteArrayOutputStream();
		var summary = stream(sandboxId, command, caller, new ExecOutput() {
			@Override
			public void stdout(byte[] buffer, int offset, int length) {
				stdout.write(buffer, offset, length);
			}

			@Override
			public void stderr(byte[] buffer, int offset, int length) {
				stderr.write(buffer, offset, length);
			}
		});
		return new ExecResult(summary.exitCode(), stdout.toString(StandardCharsets.UTF_8),
				stderr.toString(StandardCharsets.UTF_8), summary.durationMs(), summary.timedOut(),
				summary.stdoutTruncated(), summary.stderrTruncated(), summary.egressDenied());
	}

	/**
	 * Runs the command, handing its output to {@code output} as it comes (capped per
	 * stream). If {@code output} throws, the command's whole process tree is killed and
	 * {@link ExecCancelled} is thrown.
	 */
	public ExecSummary stream(String sandboxId, ExecCommand command, Caller caller, ExecOutput output) {
		validate(command);
		// the activity and EXEC_STARTED commit together: one commit, not two, on the hot
		// path. Under denied patterns EXEC_STARTED waits for the check, made outside the
		// transaction (it may ask the agent which program would run); a denied command's
		// event goes out after it (its listener may end the sandbox, which is never done
		// inside a transaction).
		var sandbox = transaction.execute(status -> {
			var active = activity.begin(sandboxId, caller);
			if (active.policy().deniedCommandPatterns().isEmpty()) {
				events.publishEvent(new ExecStarted(sandboxId, active.tenant(), command.command(), caller.actor()));
			}
			return active;
		});
		var policy = sandbox.policy();
		var spec = spec(command, policy);
		if (!policy.deniedCommandPatterns().isEmpty()) {
			var deniedBy = DeniedPatterns.firstMatch(policy.deniedCommandPatterns(), command.command(),
					() -> containers.program(sandboxId, spec));
			if (deniedBy != null) {
				deny(sandbox.id(), sandbox.tenant(), command, deniedBy, policy, caller);
			}
			transaction.executeWithoutResult(status -> events
				.publishEvent(new ExecStarted(sandboxId, sandbox.tenant(), command.command(), caller.actor())));
		}
		var stdoutCap = new CappedStream(policy.maxOutputBytes());
		var stderrCap = new CappedStream(policy.maxOutputBytes());
		var capped = new ExecOutput() {
			@Override
			public void stdout(byte[] buffer, int offset, int length) throws IOException {
				int admitted = stdoutCap.admit(length);
				if (admitted > 0) {
					output.stdout(buffer, offset, admitted);
				}
			}

			@Override
			public void stderr(byte[] buffer, int offset, int length) throws IOException {
				int admitted = stderrCap.admit(length);
				if (admitted > 0) {
					output.stderr(buffer, offset, admitted);
				}
			}

			@Override
			public void started(Runnable cancel) {
				output.started(cancel);
			}
		};

		var began = System.nanoTime();
		// often enough that even a short idle timeout never fires while a command runs
		var heartbeatEvery = Duration.ofMillis(Math.clamp(policy.idleTimeoutSeconds() * 400L, 200L, 5_000L));
		var heartbeat = Thread.ofVirtual().name("exec-activity-" + sandboxId).start(() -> {
			try {
				while (true) {
					Thread.sleep(heartbeatEvery);
					// a running command is activity: no idle timeout mid-exec
					activity.heartbeat(sandboxId);
				}
			}
			catch (InterruptedException finished) {
				// the command ended
			}
		});
		try (var watch = egress.watch(sandboxId)) {
			var outcome = containers.exec(sandboxId, spec, capped);
			var summary = new ExecSummary(outcome.exitCode(), outcome.duration().toMillis(), outcome.timedOut(),
					stdoutCap.truncated(), stderrCap.truncated(), watch.denied());
			finished(sandboxId, sandbox.tenant(), command, summary, false, stdoutCap, stderrCap, caller);
			measure(summary.timedOut() ? "timeout" : summary.exitCode() == 0 ? "ok" : "nonzero", began);
			return summary;
		}
		catch (ExecCancelled e) {
			measure("cancelled", began);
			// no exit code of its own; how long it ran until the kill, not 0
			var ran = Duration.ofNanos(System.nanoTime() - began).toMillis();
			finished(sandboxId, sandbox.tenant(), command,
					new ExecSummary(-1, ran, false, stdoutCap.truncated(), stderrCap.truncated(), List.of()), true,
					stdoutCap, stderrCap, caller);
			throw e;
		}
		catch (RuntimeException e) {
			measure("error", began);
			throw e;
		}
		finally {
			heartbeat.interrupt();
			if (System.nanoTime() - began > LONG_EXEC.toNanos()) {
				// the start counted already; a long exec counts to its end
				activity.heartbeat(sandboxId);
			}
		}
	}

	private static ExecSpec spec(ExecCommand command, PolicyView policy) {
		var timeoutSeconds = Math.min(
				command.timeoutSeconds() != null ? command.timeoutSeconds() : policy.maxExecSeconds(),
				policy.maxExecSeconds());
		var stdin = command.stdin() == null ? null : command.stdin().getBytes(StandardCharsets.UTF_8);
		return new ExecSpec(command.command(), command.env(), command.workdir(), stdin,
				Duration.ofSeconds(timeoutSeconds));
	}

	private void deny(String sandboxId, String tenant, ExecCommand command, String pattern, PolicyView policy,
			Caller caller) {
		events.publishEvent(new ExecDenied(sandboxId, tenant, command.command(), pattern, policy.killOnDeniedCommand(),
				caller.actor()));
		meters.counter("airlock.exec", "outcome", "denied").increment();
		throw new CommandDenied(pattern, policy.killOnDeniedCommand());
	}

	private void measure(String outcome, long began) {
		meters.counter("airlock.exec", "outcome", outcome).increment();
		meters.timer("airlock.exec.duration", "outcome", outcome)
			.record(System.nanoTime() - began, TimeUnit.NANOSECONDS);
	}

	private void finished(String sandboxId, String tenant, ExecCommand command, ExecSummary summary, boolean cancelled,
			CappedStream stdout, CappedStream stderr, Caller caller) {
		events.publishEvent(new ExecFinished(sandboxId, tenant, command.command(), summary.exitCode(),
				summary.durationMs(), summary.timedOut(), cancelled, stdout.total(), stderr.total(), caller.actor()));
	}

	private static void validate(ExecCommand command) {
		var errors = new ValidationFailed.Collector();
		errors.check(!command.command().isEmpty() && !command.command().getFirst().isEmpty(), "command",
				"must name a program");
		Workdir.check(command.workdir(), errors);
		errors.throwIfAny();
	}

}
