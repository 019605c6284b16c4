package dev.airlock.mcp;

import java.io.ByteArrayInputStream;
import java.io.IOException;

import dev.airlock.core.ErrorCode;
import dev.airlock.core.ProblemWriter;
import dev.airlock.core.Problems;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Lets only one well-formed JSON-RPC message per {@code POST /mcp} reach the SDK's
 * transport, whose own refusals are no problems and carry a Java stack trace: the wrong
 * {@code Content-Type} is {@code 415}, an {@code Accept} without both JSON and SSE
 * {@code 406}, and a body that is not one JSON-RPC request or notification (a batch,
 * {@code null}, a response, duplicate names) {@code 400 MALFORMED_REQUEST}. The body
 * arrives already bounded by {@code airlock.api.max-body-size}.
 */
class McpRequestGuard extends OncePerRequestFilter {

	private final JsonMapper json;

	private final ProblemWriter problems;

	McpRequestGuard(JsonMapper json, ProblemWriter problems) {
		this.json = json;
		this.problems = problems;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		if (!"POST".equals(request.getMethod())) {
			chain.doFilter(request, response);
			return;
		}
		if (!isJson(request.getContentType())) {
			problems.write(response, Problems.of(ErrorCode.UNSUPPORTED_MEDIA_TYPE,
					"Send one JSON-RPC message as 'Content-Type: application/json'."));
			return;
		}
		var accept = request.getHeader(HttpHeaders.ACCEPT);
		// the transport's own rule, refused here as a problem
		if (accept == null || !accept.contains(MediaType.APPLICATION_JSON_VALUE)
				|| !accept.contains(MediaType.TEXT_EVENT_STREAM_VALUE)) {
			problems.write(response, Problems.of(ErrorCode.NOT_ACCEPTABLE,
					"Accept both application/json and text/event-stream, as MCP's streamable HTTP transport asks."));
			return;
		}
		var body = request.getInputStream().readAllBytes();
		var refusal = refusal(body);
		if (refusal != null) {
			problems.write(response, Problems.of(ErrorCode.MALFORMED_REQUEST, refusal));
			return;
		}
		chain.doFilter(new ReadBody(request, body), response);
	}

	private static boolean isJson(String contentType) {
		try {
			return contentType != null
					&& MediaType.APPLICATION_JSON.equalsTypeAndSubtype(MediaType.parseMediaType(contentType));
		}
		catch (InvalidMediaTypeException e) {
			return false;
		}
	}

	/** Why the body is not one JSON-RPC request or notification, or null when it is. */
	private String refusal(byte[] body) {
		JsonNode message;
		try {
			message = json.readTree(body);
		}
		catch (JacksonException e) {
			return "The body is not valid JSON.";
		}
		if (message == null || message.isMissingNode()) {
			return "The body is empty; send one JSON-RPC message.";
		}
		if (message.isArray()) {
			return "A JSON-RPC batch is not taken: send one message per POST.";
		}
		if (!message.isObject() || !message.path("method").isString()) {
			return "The body must be one JSON-RPC request or notification: an object with a 'method'.";
		}
		var id = message.get("id");
		if (id != null && !id.isString() && !id.isIntegralNumber()) {
			return "A JSON-RPC request's 'id' is a string or an integer.";
		}
		return null;
	}

	/** The request with its body, read once here, for the transport to read again. */
	private static final class ReadBody extends HttpServletRequestWrapper {

		private final byte[] body;

		ReadBody(HttpServletRequest request, byte[] body) {
			super(request);
			this.body = body;
		}

		@Override
		public ServletInputStream getInputStream() {
			var in = new ByteArrayInputStream(body);
			return new ServletInputStream() {

				@Override
				public int read() {
					return in.read();
				}

				@Override
				public int read(byte[] buffer, int offset, int length) {
					return in.read(buffer, offset, length);
				}

				@Override
				public boolean isFinished() {
					return in.available() == 0;
				}

				@Override
				public boolean isReady() {
					return true;
				}

				@Override
				public void setReadListener(ReadListener listener) {
					throw new UnsupportedOperationException("the body is read synchronously");
				}

			};
		}

		@Override
		public int getContentLength() {
			return body.length;
		}

		@Override
		public long getContentLengthLong() {
			return body.length;
		}

	}

}
