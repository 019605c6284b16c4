package dev.airlock.core.web;

import java.util.ArrayList;
import java.util.Iterator;

import com.fasterxml.jackson.databind.type.TypeFactory;
import io.swagger.v3.core.converter.AnnotatedType;
import io.swagger.v3.core.converter.ModelConverter;
import io.swagger.v3.core.converter.ModelConverterContext;
import io.swagger.v3.oas.models.media.Schema;
import org.jspecify.annotations.Nullable;

/**
 * Reads the bodies' JSpecify nullness (every package is {@code @NullMarked}) into their
 * schemas: a {@code @Nullable} record component is {@code nullable}; the others are
 * always written, which {@link SchemaFinish} makes {@code required} where the schema is
 * an answer (a request's required fields are those its validation refuses to miss).
 */
class NullnessConverter implements ModelConverter {

	/** The components a record always has; {@link SchemaFinish} removes it. */
	static final String PRESENT = "x-airlock-present";

	@Override
	public @Nullable Schema resolve(AnnotatedType type, ModelConverterContext context, Iterator<ModelConverter> chain) {
		var resolved = chain.hasNext() ? chain.next().resolve(type, context, chain) : null;
		if (resolved == null || type.getType() == null) {
			return resolved;
		}
		var raw = TypeFactory.defaultInstance().constructType(type.getType()).getRawClass();
		var model = resolved.get$ref() == null ? resolved
				: context.getDefinedModels().get(resolved.get$ref().substring(resolved.get$ref().lastIndexOf('/') + 1));
		if (!raw.isRecord() || model == null || model.getProperties() == null) {
			return resolved;
		}
		var present = new ArrayList<String>();
		for (var component : raw.getRecordComponents()) {
			var property = (Schema<?>) model.getProperties().get(component.getName());
			if (property == null) {
				continue;
			}
			if (component.getAnnotatedType().isAnnotationPresent(Nullable.class)) {
				if (property.get$ref() == null) {
					property.setNullable(true);
				}
			}
			else {
				present.add(component.getName());
			}
		}
		model.addExtension(PRESENT, present);
		return resolved;
	}

}
