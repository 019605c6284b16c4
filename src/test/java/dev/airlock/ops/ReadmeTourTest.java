package dev.airlock.ops;

import java.nio.file.Path;
import java.util.Set;

import dev.airlock.Api;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** How {@link ReadmeTourTests} reads the tour and the answers its comments show. */
class ReadmeTourTest {

	@Test
	void anExampleIsTheCommentAfterACommandAndOnlyItsJsonOrEventsCount() {
		var tour = ReadmeTour.parse("""
				# intro
				## API tour

				```bash
				curl -s x
				# {"a":1,"b":{"c":"}{"}}   (a note with "d": no key)
				#  and a second line
				# a comment that shows nothing
				curl -s y | jq .a
				# {"a":"…",…}

				echo "$ANSWER"
				# event: stdout
				# data: 1
				#
				# event: exit
				```
				""");

		assertThat(tour.script()).startsWith("curl -s x\n").endsWith("# event: exit\n");
		var examples = tour.examples();
		assertThat(examples).extracting(ReadmeTour.Example::line).containsExactly(2, 6, 9);
		assertThat(examples.get(0).keys()).containsExactly("a", "b", "c");
		assertThat(examples.get(0).abridged()).isFalse();
		assertThat(examples.get(1).keys()).containsExactly("a");
		assertThat(examples.get(1).abridged()).isTrue();
		assertThat(examples.get(2).isEvents()).isTrue();
		assertThat(examples.get(2).events()).containsExactly("stdout", "exit");
	}

	@Test
	void aRealAnswersFieldsAreCollectedAtEveryDepth() {
		var answer = Api.Response.parse("{\"items\":[{\"id\":1,\"labels\":{\"run\":\"x\"}}],\"page\":0}");

		assertThat(ReadmeTour.keys(answer)).isEqualTo(Set.of("items", "id", "labels", "run", "page"));
	}

	@Test
	void theReadmesTourShowsManyAnswersEachReadable() throws Exception {
		var tour = ReadmeTour.read(Path.of("README.md"));

		assertThat(tour.examples()).hasSizeGreaterThanOrEqualTo(20);
		tour.examples().stream().filter(example -> !example.isEvents()).forEach(example -> {
			assertThat(example.keys()).as("example at line %d", example.line()).isNotEmpty();
		});
	}

}
