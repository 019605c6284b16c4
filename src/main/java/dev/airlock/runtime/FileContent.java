package dev.airlock.runtime;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;

/** A file being read out of a sandbox: stream it, then close it. */
public interface FileContent extends Closeable {

	long size();

	InputStream stream();

	@Override
	void close() throws IOException;

}
