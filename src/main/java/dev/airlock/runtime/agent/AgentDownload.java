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
		this.stream = new DownloadInput();
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

	private final class DownloadInput extends FrameInput {

		private long received;

		DownloadInput() {
			super(call, 1);
		}

		@Override
		Frame next() throws IOException {
			var frame = take(patience, "download");
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
			if (frame.end()) {
				call.finished();
				if (received != size) {
					throw new IOException(
							"the file changed size while it was read (" + received + " of " + size + " bytes)");
				}
			}
			return frame;
		}

	}

}
