package dev.airlock.audit;

import java.math.BigInteger;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;

import static org.assertj.core.api.Assertions.assertThat;

/** The one spelling of a JSON value that the audit chain hashes. */
class CanonicalJsonTest {

	static final JsonMapper JSON = JsonMapper.builder().build();

	static String canonical(String json) {
		return CanonicalJson.of(JSON.readTree(json));
	}

	@Test
	void membersAreSortedByKeyAtEveryLevel() {
		assertThat(canonical("""
				{"b": 1, "a": {"z": true, "y": [{"d": 1, "c": 2}]}, "B": null}"""))
			.isEqualTo("{\"B\":null,\"a\":{\"y\":[{\"c\":2,\"d\":1}],\"z\":true},\"b\":1}");
	}

	@Test
	void theSameContentInAnotherOrderIsTheSameText() {
		assertThat(canonical("{\"type\": \"X\", \"seq\": 7, \"data\": {\"n\": 1, \"m\": [3, 2]}}"))
			.isEqualTo(canonical("{\"data\": {\"m\": [3, 2], \"n\": 1}, \"seq\": 7, \"type\": \"X\"}"));
	}

	@Test
	void keysAreOrderedByUtf16CodeUnitsNotCodePoints() {
		// U+1F600 is the surrogate pair D83D DE00, which sorts before U+FB01 in UTF-16
		// (RFC 8785) though its code point is larger
		assertThat(canonical("{\"\uFB01\": 1, \"\uD83D\uDE00\": 2, \"z\": 3, \"\u00e9\": 4}"))
			.isEqualTo("{\"z\":3,\"\u00e9\":4,\"\uD83D\uDE00\":2,\"\uFB01\":1}");
	}

	@Test
	void noWhitespaceOutsideStrings() {
		assertThat(canonical("""
				{
				  "list" : [ 1 , 2 ,
				    3 ],
				  "text" : "two  spaces\\tand a tab",
				  "empty" : { },
				  "none" : [ ]
				}
				""")).isEqualTo("{\"empty\":{},\"list\":[1,2,3],\"none\":[],\"text\":\"two  spaces\\tand a tab\"}");
	}

	@Test
	void arraysKeepTheirOrder() {
		assertThat(canonical("[3, \"b\", \"a\", 1, [2, 1]]")).isEqualTo("[3,\"b\",\"a\",1,[2,1]]");
	}

	@Test
	void literals() {
		assertThat(canonical("{\"t\": true, \"f\": false, \"n\": null}"))
			.isEqualTo("{\"f\":false,\"n\":null,\"t\":true}");
		assertThat(CanonicalJson.of(null)).isEqualTo("null");
		assertThat(CanonicalJson.of(JSON.createObjectNode().path("absent"))).isEqualTo("null");
	}

	@Test
	void integersAreWrittenExactlyWhateverTheirSize() {
		assertThat(canonical("[0, -0, 42, -17, 9223372036854775807, 123456789012345678901234567890]"))
			.isEqualTo("[0,0,42,-17,9223372036854775807,123456789012345678901234567890]");
		var huge = JsonNodeFactory.instance.numberNode(BigInteger.TWO.pow(100));
		assertThat(CanonicalJson.of(huge)).isEqualTo("1267650600228229401496703205376");
	}

	@Test
	void fractionsAreWrittenInPlainDecimalWithoutTrailingZeros() {
		assertThat(canonical("[4.50, 1.0, 1e2, 2e-3, 1E-7, -0.25]")).isEqualTo("[4.5,1,100,0.002,0.0000001,-0.25]");
	}

	@Test
	void quotesBackslashesAndControlCharactersAreEscapedMinimally() {
		var value = JSON.createObjectNode()
			.put("s", "quote\" backslash\\ slash/ \b\f\n\r\t nul\u0000 unit\u001f del\u007f");

		assertThat(CanonicalJson.of(value))
			.isEqualTo("{\"s\":\"quote\\\" backslash\\\\ slash/ \\b\\f\\n\\r\\t nul\\u0000 unit\\u001f del\u007f\"}");
	}

	@Test
	void nonAsciiCharactersAreWrittenAsThemselves() {
		var value = JSON.createObjectNode().put("s", "caf\u00e9 \u4e2d \uD83D\uDE00 \u2028");

		assertThat(CanonicalJson.of(value)).isEqualTo("{\"s\":\"caf\u00e9 \u4e2d \uD83D\uDE00 \u2028\"}");
	}

	@Test
	void escapedInputComesOutInTheCanonicalSpelling() {
		assertThat(canonical("\"\\u0041\\u00e9\\/\\u000A\"")).isEqualTo("\"A\u00e9/\\n\"");
	}

	@Test
	void keysAreEscapedLikeValues() {
		assertThat(canonical("{\"a\\\"b\": 1, \"line\\nbreak\": 2}")).isEqualTo("{\"a\\\"b\":1,\"line\\nbreak\":2}");
	}

}
