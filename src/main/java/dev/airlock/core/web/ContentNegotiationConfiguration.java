package dev.airlock.core.web;

import java.util.List;

import org.springframework.context.annotation.Configuration;
import org.springframework.http.MediaType;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.accept.ContentNegotiationStrategy;
import org.springframework.web.accept.HeaderContentNegotiationStrategy;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.servlet.config.annotation.ContentNegotiationConfigurer;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * {@code application/problem+json} in an {@code Accept} header says "I can read
 * problems", never "I want my result as one"; generated clients send
 * {@code Accept: *}{@code /*, application/problem+json}. Left in, it is the most specific
 * type asked for, and the JSON converter (which writes {@code application/*+json}) or a
 * {@code *}{@code /*} one (text, bytes) would label a success with it. So successes are
 * negotiated without it: what else the client accepts, and anything when that is nothing
 * (a result answered is better than a 406 after a create or delete has happened).
 * Problems are labelled {@code application/problem+json} wherever they are written.
 */
@Configuration(proxyBeanMethods = false)
class ContentNegotiationConfiguration implements WebMvcConfigurer {

	@Override
	public void configureContentNegotiation(ContentNegotiationConfigurer configurer) {
		configurer.strategies(List.of(new ProblemsAcceptedApart()));
	}

	static final class ProblemsAcceptedApart implements ContentNegotiationStrategy {

		private final HeaderContentNegotiationStrategy header = new HeaderContentNegotiationStrategy();

		@Override
		public List<MediaType> resolveMediaTypes(NativeWebRequest request) throws HttpMediaTypeNotAcceptableException {
			var accepted = header.resolveMediaTypes(request);
			var forResults = accepted.stream().filter(type -> !isProblem(type)).toList();
			return forResults.isEmpty() ? MEDIA_TYPE_ALL_LIST : forResults;
		}

		private static boolean isProblem(MediaType type) {
			return "application".equals(type.getType()) && type.getSubtype().startsWith("problem+");
		}

	}

}
