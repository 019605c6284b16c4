package dev.airlock.runtime.agent;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;

import dev.airlock.runtime.FileContent;

/** A download under way: data frames in, credit out as the client reads. */
final class AgentDownload implements FileContent {

	private final AgentSession session;

	private final AgentCall call;

	private final long size;

	private final Duration patience;

	private final InputStream stream;

	AgentDownload(AgentSession session, AgentCall call, long size, Duration patience) {
		this.session = session;
		this.call = call;
		this.size = size;
		this.patience = patience;
		this.stream = new FrameInput();
	}

	@Override
	public long size() {
		return size;
	}

	@Override
	public InputStream stream() {
		return stream;
	}

	@Override
	public void close() {
		call.close();
	}

	private final class FrameInput extends InputStream {

		private byte[] current = new byte[0];

		private int position;

		private long received;

		private boolean ended;

		@Override
		public int read() throws IOException {
			var one = new byte[1];
			return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
		}

		@Override
		public int read(byte[] target, int offset, int length) throws IOException {
			while (position == current.length) {
				if (ended) {
					return -1;
				}
				next();
			}
			int n = Math.min(length, current.length - position);
			System.arraycopy(current, position, target, offset, n);
			position += n;
			return n;
		}

		private void next() throws IOException {
			Frame frame;
			try {
				frame = call.take(patience);
			}
			catch (AgentFailed e) {
				throw new IOException("the download broke: " + e.getMessage(), e);
			}
			if (frame.type() == Protocol.ERROR) {
				call.finished();
				throw new IOException("the sandbox's agent stopped the download: " + AgentError.of(frame).message());
			}
			if (frame.type() != Protocol.DATA) {
				throw new IOException(AgentExec.violation(session, "an unexpected " + frame + " in a download"));
			}
			received += frame.payload().length;
			if (received > size) {
				throw new IOException(AgentExec.violation(session, "a download longer than its size"));
			}
			current = frame.payload();
			position = 0;
			if (frame.end()) {
				ended = true;
				call.finished();
				if (received != size) {
					throw new IOException(
							"the file changed size while it was read (" + received + " of " + size + " bytes)");
				}
			}
			else {
				call.grant(current.length);
			}
		}

	}

}
