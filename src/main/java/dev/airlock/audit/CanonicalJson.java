package dev.airlock.audit;

import java.util.ArrayList;
import java.util.Collections;

import tools.jackson.databind.JsonNode;

/**
 * JSON in one canonical form (after RFC 8785, JCS): object members sorted by key (UTF-16
 * order), no whitespace, minimal string escaping, integers as integers. Airlock's audit
 * data holds no floating-point numbers; any that appear are written in plain decimal.
 */
public final class CanonicalJson {

	private CanonicalJson() {
	}

	public static String of(JsonNode node) {
		var out = new StringBuilder();
		write(node, out);
		return out.toString();
	}

	private static void write(JsonNode node, StringBuilder out) {
		if (node == null || node.isNull() || node.isMissingNode()) {
			out.append("null");
		}
		else if (node.isObject()) {
			var names = new ArrayList<String>(node.propertyNames());
			Collections.sort(names);
			out.append('{');
			for (int i = 0; i < names.size(); i++) {
				if (i > 0) {
					out.append(',');
				}
				string(names.get(i), out);
				out.append(':');
				write(node.get(names.get(i)), out);
			}
			out.append('}');
		}
		else if (node.isArray()) {
			out.append('[');
			for (int i = 0; i < node.size(); i++) {
				if (i > 0) {
					out.append(',');
				}
				write(node.get(i), out);
			}
			out.append(']');
		}
		else if (node.isString()) {
			string(node.asString(), out);
		}
		else if (node.isBoolean()) {
			out.append(node.asBoolean());
		}
		else if (node.isIntegralNumber()) {
			out.append(node.bigIntegerValue());
		}
		else if (node.isNumber()) {
			var decimal = node.decimalValue().stripTrailingZeros();
			out.append(decimal.scale() <= 0 ? decimal.toBigInteger().toString() : decimal.toPlainString());
		}
		else {
			string(node.asString(), out);
		}
	}

	private static void string(String text, StringBuilder out) {
		out.append('"');
		for (int i = 0; i < text.length(); i++) {
			var c = text.charAt(i);
			switch (c) {
				case '"' -> out.append("\\\"");
				case '\\' -> out.append("\\\\");
				case '\b' -> out.append("\\b");
				case '\f' -> out.append("\\f");
				case '\n' -> out.append("\\n");
				case '\r' -> out.append("\\r");
				case '\t' -> out.append("\\t");
				default -> {
					if (c < 0x20) {
						out.append(String.format("\\u%04x", (int) c));
					}
					else {
						out.append(c);
					}
				}
			}
		}
		out.append('"');
	}

}
