package dev.airlock.core.web;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.Schema;
import org.jspecify.annotations.Nullable;
import org.springdoc.core.customizers.OpenApiCustomizer;

/**
 * The last touches on the document's schemas: an answer's always-written fields are
 * {@code required} ({@link NullnessConverter}), and every {@code pattern} is anchored, as
 * Bean Validation matches the whole value while OpenAPI's (ECMA) patterns search.
 */
class SchemaFinish implements OpenApiCustomizer {

	@Override
	public void customise(OpenAPI openApi) {
		Map<String, Schema> schemas = openApi.getComponents().getSchemas();
		if (schemas == null || openApi.getPaths() == null) {
			return;
		}
		var requests = new HashSet<String>();
		var answers = new HashSet<String>();
		openApi.getPaths().values().forEach(path -> path.readOperations().forEach(operation -> {
			if (operation.getRequestBody() != null) {
				reach(operation.getRequestBody().getContent(), schemas, requests);
			}
			operation.getResponses().values().forEach(response -> reach(response.getContent(), schemas, answers));
			if (operation.getParameters() != null) {
				operation.getParameters().forEach(parameter -> anchor(parameter.getSchema()));
			}
		}));
		schemas.forEach((name, schema) -> {
			var extensions = schema.getExtensions();
			var present = extensions == null ? null : (List<?>) extensions.remove(NullnessConverter.PRESENT);
			if (present != null && answers.contains(name) && !requests.contains(name)) {
				var required = new TreeSet<String>(schema.getRequired() == null ? List.of() : schema.getRequired());
				present.forEach(field -> required.add((String) field));
				schema.setRequired(new ArrayList<>(required));
			}
			if (extensions != null && extensions.isEmpty()) {
				schema.setExtensions(null);
			}
			anchor(schema);
		});
	}

	private static void reach(@Nullable Content content, Map<String, Schema> schemas, Set<String> reached) {
		if (content != null) {
			content.values().forEach(media -> reach(media.getSchema(), schemas, reached));
		}
	}

	private static void reach(@Nullable Schema<?> schema, Map<String, Schema> schemas, Set<String> reached) {
		if (schema == null) {
			return;
		}
		if (schema.get$ref() != null) {
			var name = schema.get$ref().substring(schema.get$ref().lastIndexOf('/') + 1);
			if (reached.add(name)) {
				reach(schemas.get(name), schemas, reached);
			}
			return;
		}
		nested(schema).forEach(inner -> reach(inner, schemas, reached));
	}

	private static void anchor(@Nullable Schema<?> schema) {
		if (schema == null) {
			return;
		}
		var pattern = schema.getPattern();
		if (pattern != null && !(pattern.startsWith("^") && pattern.endsWith("$"))) {
			schema.setPattern("^(?:" + pattern + ")$");
		}
		nested(schema).forEach(SchemaFinish::anchor);
	}

	private static List<Schema> nested(Schema<?> schema) {
		var nested = new ArrayList<Schema>();
		if (schema.getProperties() != null) {
			nested.addAll(schema.getProperties().values());
		}
		nested.add(schema.getItems());
		if (schema.getAdditionalProperties() instanceof Schema<?> values) {
			nested.add(values);
		}
		Stream.of(schema.getAllOf(), schema.getAnyOf(), schema.getOneOf())
			.filter(Objects::nonNull)
			.forEach(nested::addAll);
		nested.removeIf(Objects::isNull);
		return nested;
	}

}
