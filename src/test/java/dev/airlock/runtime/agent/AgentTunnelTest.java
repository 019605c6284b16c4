package dev.airlock.runtime.agent;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.Pipe;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Airlock's side of a tunnel against a scripted agent of version 3: the frames it sends,
 * the credit it grants and takes, and what each end of the call looks like to the owner.
 */
class AgentTunnelTest {

	private final Pipe toAirlock = Pipe.open();

	private final Pipe toAgent = Pipe.open();

	private final OutputStream agentWrites = Channels.newOutputStream(toAirlock.sink());

	private final DataInputStream agentReads = new DataInputStream(Channels.newInputStream(toAgent.source()));

	private AgentSession session;

	AgentTunnelTest() throws IOException {
	}

	@AfterEach
	void close() {
		if (session != null) {
			session.close();
		}
	}

	@Test
	void version3TellsTheEgressPort() throws Exception {
		connect(3, 3128);

		assertThat(session.egressPort()).isEqualTo(3128);
	}

	@Test
	void olderSessionsHaveNoTunnels() throws Exception {
		connect(2, 0);

		assertThat(session.egressPort()).isZero();
		assertThatThrownBy(() -> session.accept(1024)).isInstanceOf(AgentFailed.class)
			.hasMessageContaining("without tunnels");
	}

	@Test
	void bytesFlowBothWaysWithinTheCredit() throws Exception {
		connect(3, 3128);
		var tunnel = session.accept(8);
		var accept = FrameCodec.read(agentReads);
		assertThat(accept.type()).isEqualTo(Protocol.ACCEPT);
		assertThat(accept.reader().u32()).isEqualTo(8);

		agent(Protocol.ACCEPTED, accept.stream(), 0, new Payload.Writer().u16(41000).bytes());
		tunnel.awaitAccepted();
		assertThat(tunnel.peerPort()).isEqualTo(41000);

		agent(Protocol.DATA, accept.stream(), 0, "12345678".getBytes());
		var got = new byte[8];
		assertThat(tunnel.input().read(got, 0, 5)).isEqualTo(5);
		assertThat(tunnel.input().read(got, 5, 3)).isEqualTo(3);
		var window = FrameCodec.read(agentReads); // granted once the frame was read
		assertThat(window.type()).isEqualTo(Protocol.WINDOW);
		assertThat(window.reader().u32()).isEqualTo(8);
		agent(Protocol.DATA, accept.stream(), Protocol.END, new byte[0]);
		assertThat(tunnel.input().read()).isEqualTo(-1);

		var written = CompletableFuture.runAsync(() -> {
			try {
				tunnel.output().write("hello".getBytes());
			}
			catch (IOException e) {
				throw new RuntimeException(e);
			}
		});
		agent(Protocol.WINDOW, accept.stream(), 0, new Payload.Writer().u32(3).bytes());
		assertThat(new String(FrameCodec.read(agentReads).payload())).isEqualTo("hel");
		agent(Protocol.WINDOW, accept.stream(), 0, new Payload.Writer().u32(100).bytes());
		assertThat(new String(FrameCodec.read(agentReads).payload())).isEqualTo("lo");
		written.get(5, TimeUnit.SECONDS);
		tunnel.shutdownOutput();
		var end = FrameCodec.read(agentReads);
		assertThat(end.end()).isTrue();
		assertThat(end.payload()).isEmpty();
		assertThatThrownBy(() -> tunnel.output().write(1)).isInstanceOf(IOException.class);

		// both sides ended: close waits for the agent's OK instead of resetting
		var closing = CompletableFuture.runAsync(tunnel::close);
		agent(Protocol.OK, accept.stream(), 0, new Payload.Writer().u64(8).bytes());
		closing.get(5, TimeUnit.SECONDS);
		tunnel.close();
		session.accept(1024);
		assertThat(FrameCodec.read(agentReads).type()).as("no CANCEL after the OK").isEqualTo(Protocol.ACCEPT);
		assertThat(session.alive()).isTrue();
	}

	@Test
	void aClientResetIsAnIoErrorOnInputAndOutput() throws Exception {
		connect(3, 3128);
		var tunnel = accepted(1024);
		var stream = tunnel.stream();

		agent(Protocol.ERROR, stream, 0, new Payload.Writer().u16(18).str("client: Connection reset by peer").bytes());

		assertThatThrownBy(() -> tunnel.input().read()).isInstanceOf(IOException.class).hasMessageContaining("IO");
		assertThatThrownBy(() -> tunnel.output().write(1)).isInstanceOf(IOException.class);
		assertThat(session.alive()).isTrue();
	}

	@Test
	void closingAWaitingAcceptCancelsItAndWakesTheWaiter() throws Exception {
		connect(3, 3128);
		var tunnel = session.accept(1024);
		var stream = FrameCodec.read(agentReads).stream();
		var waiter = CompletableFuture.runAsync(tunnel::awaitAccepted);

		tunnel.close();

		var cancel = FrameCodec.read(agentReads);
		assertThat(cancel.type()).isEqualTo(Protocol.CANCEL);
		assertThat(cancel.stream()).isEqualTo(stream);
		assertThatThrownBy(() -> waiter.get(5, TimeUnit.SECONDS)).hasCauseInstanceOf(AgentFailed.class);
		// the agent's answer crossing the close is ignored
		agent(Protocol.ERROR, stream, 0, new Payload.Writer().u16(12).str("cancelled").bytes());
		var next = session.accept(1024);
		assertThat(FrameCodec.read(agentReads).type()).isEqualTo(Protocol.ACCEPT);
		assertThat(session.alive()).isTrue();
		next.close();
	}

	@Test
	void anAgentRefusingTheAcceptFailsTheWait() throws Exception {
		connect(3, 0);
		var tunnel = session.accept(1024);
		var stream = FrameCodec.read(agentReads).stream();

		agent(Protocol.ERROR, stream, 0, new Payload.Writer().u16(11).str("no egress port").bytes());

		assertThatThrownBy(tunnel::awaitAccepted).isInstanceOf(AgentFailed.class).hasMessageContaining("INVALID");
	}

	@Test
	void aSessionEndFailsEveryTunnel() throws Exception {
		connect(3, 3128);
		var tunnel = accepted(1024);
		var stream = tunnel.stream();
		var reading = CompletableFuture.supplyAsync(() -> {
			try {
				return tunnel.input().read();
			}
			catch (IOException e) {
				return -2;
			}
		});

		agentWrites.close();

		assertThat(reading.get(5, TimeUnit.SECONDS)).isEqualTo(-2);
	}

	@Test
	void clientBytesBeyondTheWindowAreTheAgentsFault() throws Exception {
		connect(3, 3128);
		var tunnel = accepted(4);
		var stream = tunnel.stream();

		agent(Protocol.DATA, stream, 0, "12345".getBytes());

		assertThatThrownBy(() -> tunnel.input().read()).isInstanceOf(IOException.class);
		assertThat(session.alive()).isFalse();
	}

	/** A tunnel the scripted agent accepted at once: the tunnel, and its stream. */
	private Accepted accepted(int window) throws IOException {
		var tunnel = session.accept(window);
		var stream = FrameCodec.read(agentReads).stream();
		agent(Protocol.ACCEPTED, stream, 0, new Payload.Writer().u16(40000).bytes());
		tunnel.awaitAccepted();
		return new Accepted(tunnel, stream);
	}

	private void agent(int type, int stream, int flags, byte[] payload) throws IOException {
		agentWrites.write(FrameCodec.encode(new Frame(type, flags, stream, payload)));
		agentWrites.flush();
	}

	private void connect(int version, int port) throws Exception {
		InputStream airlockReads = Channels.newInputStream(toAirlock.source());
		var agent = Thread.ofVirtual().start(() -> {
			try {
				var hello = FrameCodec.read(agentReads).reader();
				hello.u16();
				hello.u16();
				var ok = new Payload.Writer().u16(version)
					.raw(hello.raw(16))
					.u32(Protocol.MAX_PAYLOAD)
					.str("fake 3")
					.u32(500)
					.u32(1);
				if (version >= 3) {
					ok.u16(port);
				}
				agentWrites.write(FrameCodec.encode(Frame.of(Protocol.HELLO_OK, 0, ok.bytes())));
			}
			catch (IOException e) {
				throw new RuntimeException(e);
			}
		});
		session = AgentSession.open("sb", airlockReads, Channels.newOutputStream(toAgent.sink()), () -> {
		}, false, new AgentSession.Listener() {
			@Override
			public void mainExited(int exitCode, int signal) {
			}

			@Override
			public void ended(String reason, AgentSession.Ending ending) {
			}
		});
		agent.join(Duration.ofSeconds(5));
	}

	private record Accepted(AgentTunnel tunnel, int stream) {

		InputStream input() {
			return tunnel.input();
		}

		OutputStream output() {
			return tunnel.output();
		}

	}

}
