package dev.airlock.core.web;

import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.core.StreamReadFeature;

/**
 * A JSON object that names a field twice is malformed, never "the last one wins": two
 * readers of the same body (a proxy that checks it, Airlock that acts on it) must never
 * see different values. Boot's {@code spring.jackson.read} takes only
 * {@code JsonReadFeature}s, and duplicate detection is a {@code StreamReadFeature}.
 */
@Configuration(proxyBeanMethods = false)
class StrictJsonConfiguration {

	@Bean
	JsonMapperBuilderCustomizer strictDuplicateDetection() {
		return builder -> builder.enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION);
	}

}
