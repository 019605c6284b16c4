package dev.airlock.core.web;

import java.io.IOException;

import dev.airlock.core.ErrorCode;
import dev.airlock.core.ProblemWriter;
import dev.airlock.core.Problems;
import dev.airlock.core.RequestSettings;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Caps request bodies: a declared length over the limit is refused before reading, and a
 * chunked body is cut off as soon as it passes the limit. File uploads are exempt; they
 * are capped by policy where they land.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
class RequestBodyLimitFilter extends OncePerRequestFilter {

	private final long limit;

	private final ProblemWriter problems;

	RequestBodyLimitFilter(RequestSettings settings, ProblemWriter problems) {
		this.limit = settings.maxBodySize().toBytes();
		this.problems = problems;
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		return request.getRequestURI().endsWith("/files/content");
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		if (request.getContentLengthLong() > limit) {
			problems.write(response, tooLarge());
			return;
		}
		try {
			chain.doFilter(new LimitedRequest(request, limit), response);
		}
		catch (BodyTooLarge | ServletException e) {
			if (e instanceof BodyTooLarge || hasCause(e, BodyTooLarge.class)) {
				problems.write(response, tooLarge());
				return;
			}
			throw e;
		}
	}

	private ProblemDetail tooLarge() {
		return Problems.of(ErrorCode.PAYLOAD_TOO_LARGE, "The request body exceeds " + limit + " bytes.");
	}

	private static boolean hasCause(Throwable throwable, Class<? extends Throwable> type) {
		for (var t = throwable; t != null; t = t.getCause()) {
			if (type.isInstance(t)) {
				return true;
			}
		}
		return false;
	}

	/** Thrown from inside the body stream when a chunked body passes the limit. */
	static final class BodyTooLarge extends IOException {

		BodyTooLarge() {
			super("request body too large");
		}

	}

	private static final class LimitedRequest extends HttpServletRequestWrapper {

		private final long limit;

		private ServletInputStream stream;

		LimitedRequest(HttpServletRequest request, long limit) {
			super(request);
			this.limit = limit;
		}

		@Override
		public ServletInputStream getInputStream() throws IOException {
			if (stream == null) {
				stream = new LimitedStream(super.getInputStream(), limit);
			}
			return stream;
		}

	}

	private static final class LimitedStream extends ServletInputStream {

		private final ServletInputStream delegate;

		private final long limit;

		private long read;

		LimitedStream(ServletInputStream delegate, long limit) {
			this.delegate = delegate;
			this.limit = limit;
		}

		@Override
		public int read() throws IOException {
			int b = delegate.read();
			if (b >= 0) {
				count(1);
			}
			return b;
		}

		@Override
		public int read(byte[] buffer, int offset, int length) throws IOException {
			int n = delegate.read(buffer, offset, length);
			if (n > 0) {
				count(n);
			}
			return n;
		}

		private void count(int n) throws BodyTooLarge {
			read += n;
			if (read > limit) {
				throw new BodyTooLarge();
			}
		}

		@Override
		public boolean isFinished() {
			return delegate.isFinished();
		}

		@Override
		public boolean isReady() {
			return delegate.isReady();
		}

		@Override
		public void setReadListener(ReadListener listener) {
			delegate.setReadListener(listener);
		}

	}

}
