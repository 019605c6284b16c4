package dev.airlock.core.web;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.regex.Pattern;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Keeps the scrape's names those of the contract. The Prometheus Java client (1.x)
 * refuses any metric name that ends in {@code _created} (OpenMetrics reserves that suffix
 * for timestamps), so the counter {@code airlock.sandboxes.created} comes out of it as
 * {@code airlock_sandboxes_total}; dashboards and alerts are written against
 * {@code airlock_sandboxes_created_total}. This filter serves the classic text format
 * (which has no such reservation) and restores that one name.
 */
@Component
@Order(Ordered.LOWEST_PRECEDENCE - 10)
class ContractMetricNames extends OncePerRequestFilter {

	private static final Pattern CLIENT_NAME = Pattern.compile("\\bairlock_sandboxes_total\\b");

	private static final String CONTRACT_NAME = "airlock_sandboxes_created_total";

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		return !request.getRequestURI().equals("/actuator/prometheus");
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		var buffered = new BufferedResponse(response);
		chain.doFilter(new ClassicTextOnly(request), buffered);
		var body = buffered.body.toString(StandardCharsets.UTF_8);
		var bytes = CLIENT_NAME.matcher(body).replaceAll(CONTRACT_NAME).getBytes(StandardCharsets.UTF_8);
		response.setContentLength(bytes.length);
		response.getOutputStream().write(bytes);
	}

	/** Asks for the classic text format (0.0.4), whatever the scraper prefers. */
	private static final class ClassicTextOnly extends HttpServletRequestWrapper {

		ClassicTextOnly(HttpServletRequest request) {
			super(request);
		}

		@Override
		public String getHeader(String name) {
			return "Accept".equalsIgnoreCase(name) ? "text/plain" : super.getHeader(name);
		}

		@Override
		public Enumeration<String> getHeaders(String name) {
			return "Accept".equalsIgnoreCase(name) ? Collections.enumeration(List.of("text/plain"))
					: super.getHeaders(name);
		}

	}

	private static final class BufferedResponse extends HttpServletResponseWrapper {

		final ByteArrayOutputStream body = new ByteArrayOutputStream();

		private final ServletOutputStream stream = new ServletOutputStream() {
			@Override
			public void write(int b) {
				body.write(b);
			}

			@Override
			public void write(byte[] bytes, int offset, int length) {
				body.write(bytes, offset, length);
			}

			@Override
			public boolean isReady() {
				return true;
			}

			@Override
			public void setWriteListener(WriteListener listener) {
			}
		};

		private final PrintWriter writer = new PrintWriter(body, true, StandardCharsets.UTF_8);

		BufferedResponse(HttpServletResponse response) {
			super(response);
		}

		@Override
		public ServletOutputStream getOutputStream() {
			return stream;
		}

		@Override
		public PrintWriter getWriter() {
			return writer;
		}

		@Override
		public void setContentLength(int length) {
		}

		@Override
		public void setContentLengthLong(long length) {
		}

		@Override
		public void flushBuffer() {
			writer.flush();
		}

	}

}
