package dev.airlock.runtime.agent;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.Pipe;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import dev.airlock.runtime.ExecSpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Airlock's side of the session against a scripted agent: what a lying or
 * garbage-speaking agent can do ends its own session, as its fault, and nothing is
 * buffered past the credit given.
 */
class AgentSessionTest {

	private final Pipe toAirlock = Pipe.open();

	private final Pipe toAgent = Pipe.open();

	private final OutputStream agentWrites = Channels.newOutputStream(toAirlock.sink());

	private final InputStream airlockReads = Channels.newInputStream(toAirlock.source());

	private final OutputStream airlockWrites = Channels.newOutputStream(toAgent.sink());

	private final InputStream agentReads = Channels.newInputStream(toAgent.source());

	private final CompletableFuture<Ending> ended = new CompletableFuture<>();

	private AgentSession session;

	AgentSessionTest() throws IOException {
	}

	@AfterEach
	void close() {
		if (session != null) {
			session.close();
		}
	}

	@Test
	void theHandshakeSkipsWhatAnEarlierSessionLeftInThePipe() throws Exception {
		agentWrites.write(new byte[] { 1, 2, 3, (byte) 0xA1, 0x7E, 0x13 }); // a cut frame
		agentWrites.write(FrameCodec.encode(Frame.of(Protocol.HEARTBEAT, 0, new byte[0])));

		connect();

		assertThat(session.alive()).isTrue();
		assertThat(session.agentVersion()).isEqualTo("fake 1");
	}

	@Test
	void aHelloOkWithAnotherNonceIsNotTheAnswer() throws Exception {
		var agent = Thread.ofVirtual().start(() -> {
			try {
				var hello = FrameCodec.read(new DataInputStream(agentReads));
				agentWrites.write(FrameCodec.encode(helloOk(new byte[16])));
				agentWrites.write(FrameCodec.encode(helloOk(nonceOf(hello))));
			}
			catch (IOException e) {
				throw new RuntimeException(e);
			}
		});

		session = AgentSession.open("sb", airlockReads, airlockWrites, () -> {
		}, false, listener());
		agent.join();

		assertThat(session.alive()).isTrue();
	}

	@Test
	void dataBeyondTheCreditGivenEndsTheSessionAsTheAgentsFault() throws Exception {
		connect();
		var call = session.call();
		call.granted(10);

		agentWrites.write(FrameCodec.encode(Frame.of(Protocol.STDOUT, call.stream(), new byte[11])));

		assertThat(ending().agentsFault()).isTrue();
		assertThat(ending().reason()).contains("credit of 10");
		assertThatThrownBy(() -> call.take(Duration.ofSeconds(5))).isInstanceOf(AgentFailed.class)
			.hasMessageContaining("credit");
	}

	@Test
	void dataWithinTheCreditArrives() throws Exception {
		connect();
		var call = session.call();
		call.granted(10);

		agentWrites.write(FrameCodec.encode(Frame.of(Protocol.STDOUT, call.stream(), "0123456789".getBytes())));

		assertThat(new String(call.take(Duration.ofSeconds(5)).payload())).isEqualTo("0123456789");
		assertThat(session.alive()).isTrue();
	}

	@Test
	void aFrameForAStreamNeverOpenedIsAViolation() throws Exception {
		connect();

		agentWrites.write(FrameCodec.encode(Frame.of(Protocol.EXIT, 77, new byte[6])));

		assertThat(ending().agentsFault()).isTrue();
		assertThat(ending().reason()).contains("never opened");
	}

	@Test
	void aFloodOfFramesOnOneCallIsAViolation() throws Exception {
		connect();
		var call = session.call();

		for (int i = 0; i < 100; i++) {
			agentWrites.write(FrameCodec.encode(Frame.of(Protocol.STARTED, call.stream(), new byte[4])));
		}

		assertThat(ending().agentsFault()).isTrue();
		assertThat(ending().reason()).contains("flood");
	}

	@Test
	void garbageAfterTheHandshakeIsAViolation() throws Exception {
		connect();

		agentWrites.write("this is not a frame at all".getBytes());

		assertThat(ending().agentsFault()).isTrue();
		assertThat(ending().reason()).contains("magic");
	}

	@Test
	void aLengthOverTheLimitIsRefusedBeforeAnythingIsAllocated() throws Exception {
		connect();
		var header = FrameCodec.encode(Frame.of(Protocol.STDOUT, 1, new byte[0]));
		header[8] = 0x7f; // ~2 GiB

		agentWrites.write(header);

		assertThat(ending().agentsFault()).isTrue();
		assertThat(ending().reason()).contains("a frame of");
	}

	@Test
	void anotherConnectionTakingTheAgentOverIsNotItsFault() throws Exception {
		connect();

		agentWrites.write(FrameCodec.encode(helloOk(new byte[16])));

		assertThat(ending().agentsFault()).isFalse();
		assertThat(ending().reason()).contains("took over");
	}

	@Test
	void anAgentFromBeforeResolveIsNotAskedAndItsSessionAndCallsGoOn() throws Exception {
		connect(listener(), 1); // it speaks version 1 only
		var running = session.call();
		var oldAgent = Thread.ofVirtual().start(() -> {
			// to it a RESOLVE is garbage: it ends the session, and every call on it
			try {
				var frame = FrameCodec.read(new DataInputStream(agentReads));
				var error = new Payload.Writer().u16(15).str("unknown frame " + frame.type()).bytes();
				agentWrites.write(FrameCodec.encode(Frame.of(Protocol.ERROR, 0, error)));
			}
			catch (IOException e) {
				// the test is over: nothing came
			}
		});

		assertThat(AgentResolve.program(session, nmap())).isEmpty();

		toAgent.source().close();
		oldAgent.join();
		assertThat(session.alive()).isTrue();
		assertThat(ended).isNotDone();
		agentWrites.write(FrameCodec.encode(Frame.of(Protocol.STARTED, running.stream(), new byte[4])));
		assertThat(running.take(Duration.ofSeconds(5)).type()).isEqualTo(Protocol.STARTED);
	}

	@Test
	void anAgentThatKnowsResolveAnswersThePathAndItsCanonicalSpelling() throws Exception {
		connect(listener(), 2);
		var agent = answer(resolve -> Frame.of(Protocol.RESOLVED, resolve.stream(),
				new Payload.Writer().str("/bin/nmap").str("/usr/bin/nmap").bytes()));

		assertThat(AgentResolve.program(session, nmap())).containsExactly("/bin/nmap", "/usr/bin/nmap");
		agent.join();
	}

	@Test
	void anAgentOfVersion4TakesTheDefaultsAndItsOkEndsTheCall() throws Exception {
		connect(listener(), 4);
		var sent = new CompletableFuture<List<Object>>();
		var agent = answer(request -> {
			var reader = request.reader();
			sent.complete(List.of(request.type(), reader.list(), reader.str()));
			reader.done();
			return Frame.of(Protocol.OK, request.stream(), new Payload.Writer().u64(0).bytes());
		});

		AgentDefaults.set(session, Map.of("TOKEN", "s3cret"), "/work");

		agent.join();
		assertThat(sent.get(5, TimeUnit.SECONDS)).containsExactly(Protocol.DEFAULTS, List.of("TOKEN=s3cret"), "/work");
		assertThat(session.alive()).isTrue();
	}

	@Test
	void anAgentBeforeVersion4IsNotSentDefaults() throws Exception {
		connect(listener(), 3);

		assertThatThrownBy(() -> AgentDefaults.set(session, Map.of("A", "1"), null)).isInstanceOf(AgentFailed.class)
			.hasMessageContaining("version 3");
		toAgent.sink().close();
		assertThat(agentReads.read()).as("nothing was sent after the HELLO").isEqualTo(-1);
		assertThat(session.alive()).isTrue();
	}

	@Test
	void aRefusalIsAnAgentFailedThatNamesTheCodeButNoValue() throws Exception {
		connect(listener(), 4);
		var agent = answer(request -> Frame.of(Protocol.ERROR, request.stream(),
				new Payload.Writer().u16(1).str("workdir: No such file or directory").bytes()));

		assertThatThrownBy(() -> AgentDefaults.set(session, Map.of("TOKEN", "s3cret"), "/nowhere"))
			.isInstanceOf(AgentFailed.class)
			.hasMessageContaining("NOT_FOUND")
			.hasMessageNotContaining("s3cret");
		agent.join();
		assertThat(session.alive()).isTrue();
	}

	@Test
	void theMainCommandsExitIsReported() throws Exception {
		var exited = new CompletableFuture<Integer>();
		connect(new AgentSession.Listener() {
			@Override
			public void mainExited(int exitCode, int signal) {
				exited.complete(exitCode);
			}

			@Override
			public void ended(String reason, AgentSession.Ending ending) {
			}
		});

		agentWrites
			.write(FrameCodec.encode(Frame.of(Protocol.MAIN_EXITED, 0, new Payload.Writer().u32(3).u32(0).bytes())));

		assertThat(exited.get(5, TimeUnit.SECONDS)).isEqualTo(3);
	}

	private void connect() throws Exception {
		connect(listener());
	}

	private void connect(AgentSession.Listener listener) throws Exception {
		connect(listener, 1);
	}

	private void connect(AgentSession.Listener listener, int version) throws Exception {
		var agent = Thread.ofVirtual().start(() -> {
			try {
				var hello = FrameCodec.read(new DataInputStream(agentReads));
				agentWrites.write(FrameCodec.encode(helloOk(nonceOf(hello), version)));
			}
			catch (IOException e) {
				throw new RuntimeException(e);
			}
		});
		session = AgentSession.open("sb", airlockReads, airlockWrites, () -> {
		}, false, listener);
		agent.join();
	}

	/**
	 * The scripted agent, in a thread: reads one request and sends what it maps it to.
	 */
	private Thread answer(Function<Frame, Frame> answer) {
		return Thread.ofVirtual().start(() -> {
			try {
				var request = FrameCodec.read(new DataInputStream(agentReads));
				agentWrites.write(FrameCodec.encode(answer.apply(request)));
			}
			catch (IOException e) {
				throw new RuntimeException(e);
			}
		});
	}

	private AgentSession.Listener listener() {
		return new AgentSession.Listener() {
			@Override
			public void mainExited(int exitCode, int signal) {
			}

			@Override
			public void ended(String reason, AgentSession.Ending ending) {
				ended.complete(new Ending(reason, ending == AgentSession.Ending.AGENTS_FAULT));
			}
		};
	}

	private Ending ending() throws Exception {
		return ended.get(5, TimeUnit.SECONDS);
	}

	private static byte[] nonceOf(Frame hello) {
		var reader = hello.reader();
		reader.u16();
		reader.u16();
		return reader.raw(16);
	}

	private static ExecSpec nmap() {
		return new ExecSpec(List.of("nmap"), Map.of(), null, null, Duration.ofSeconds(30));
	}

	private static Frame helloOk(byte[] nonce) {
		return helloOk(nonce, 1);
	}

	private static Frame helloOk(byte[] nonce, int version) {
		var ok = new Payload.Writer().u16(version).raw(nonce).u32(Protocol.MAX_PAYLOAD).str("fake 1").u32(500).u32(7);
		if (version >= 3) {
			ok.u16(0); // no egress port
		}
		return Frame.of(Protocol.HELLO_OK, 0, ok.bytes());
	}

	private record Ending(String reason, boolean agentsFault) {
	}

}
