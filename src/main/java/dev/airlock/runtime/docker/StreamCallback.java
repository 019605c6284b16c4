package dev.airlock.runtime.docker;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;

import com.github.dockerjava.api.async.ResultCallback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A docker-java stream that keeps its error for the caller instead of logging it at ERROR
 * as docker-java's adapter does: a missing container or an engine restart is not a fault
 * here.
 */
abstract class StreamCallback<T> extends ResultCallback.Adapter<T> {

	private static final Logger log = LoggerFactory.getLogger(StreamCallback.class);

	private volatile boolean stopped;

	private volatile Throwable error;

	/** One item, unless the caller has stopped reading. */
	abstract void next(T item);

	@Override
	public void onStart(Closeable stream) {
		super.onStart(stream);
		if (stopped) {
			stop(); // stopped while the engine was slow to answer
		}
	}

	@Override
	public void onNext(T item) {
		if (!stopped) {
			next(item);
		}
	}

	@Override
	public void onError(Throwable throwable) {
		if (!stopped && error == null) {
			error = throwable;
		}
		stop();
	}

	/** Stops reading; what follows (the closed stream's error) is expected. */
	void stop() {
		stopped = true;
		try {
			close();
		}
		catch (IOException e) {
			log.debug("Closing a Docker stream: {}", e.getMessage());
		}
	}

	/** Throws what ended the stream, if that was an error. */
	void rethrow() {
		switch (error) {
			case null -> {
			}
			case RuntimeException e -> throw e;
			case Error e -> throw e;
			default -> throw new UncheckedIOException(
					error instanceof IOException io ? io : new IOException(error.getMessage(), error));
		}
	}

}
