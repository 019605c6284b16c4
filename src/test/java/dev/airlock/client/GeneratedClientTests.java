package dev.airlock.client;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import dev.airlock.Api;
import dev.airlock.IntegrationTestSupport;
import dev.airlock.client.api.ExecApi;
import dev.airlock.client.api.FilesApi;
import dev.airlock.client.api.SandboxesApi;
import dev.airlock.client.model.CreateSandboxRequest;
import dev.airlock.client.model.ExecRequest;
import dev.airlock.client.model.FieldViolation;
import dev.airlock.client.model.FileEntry;
import dev.airlock.client.model.Problem;
import dev.airlock.client.model.SandboxView;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The Java client that the build generates from {@code docs/openapi.json} (the served
 * document's snapshot), used as it is, against the running service: what a user who
 * generates a client gets.
 */
class GeneratedClientTests extends IntegrationTestSupport {

	private ApiClient client;

	@BeforeEach
	void generatedClient() {
		client = new ApiClient().setBasePath(api.uri("").toString());
		client.setBearerToken(Api.ADMIN_KEY);
	}

	@Test
	void createsExecsUploadsDownloadsListsAndDeletes(@TempDir Path folder) throws Exception {
		var sandboxes = new SandboxesApi(client);
		var created = sandboxes.createSandbox(new CreateSandboxRequest().image(IMAGE).putLabelsItem("by", "client"));
		assertThat(client.getStatusCode()).isEqualTo(201);
		var id = created.getId();
		try {
			assertThat(id).isNotBlank();
			assertThat(created.getStatus()).isEqualTo(SandboxView.StatusEnum.RUNNING);

			var result = new ExecApi(client).execCommand(id,
					new ExecRequest().command(List.of("sh", "-c", "echo out; echo err >&2; exit 3")));
			assertThat(result.getExitCode()).isEqualTo(3);
			assertThat(result.getStdout()).isEqualTo("out\n");
			assertThat(result.getStderr()).isEqualTo("err\n");

			var bytes = new byte[70_000];
			new Random(14).nextBytes(bytes);
			var upload = Files.write(folder.resolve("upload.bin"), bytes).toFile();
			var files = new FilesApi(client);
			var stored = files.writeFile(id, "/workspace/data.bin", upload);
			assertThat(client.getStatusCode()).isEqualTo(201);
			assertThat(stored.getSize()).isEqualTo(bytes.length);

			var download = files.readFile(id, "/workspace/data.bin");
			assertThat(Files.readAllBytes(download.toPath())).isEqualTo(bytes);

			assertThat(files.listFiles(id, "/workspace")).extracting(FileEntry::getName).contains("data.bin");
			assertThat(sandboxes.listSandboxes(null, List.of("by:client"), null, null, 100).getItems())
				.extracting(SandboxView::getId)
				.contains(id);
		}
		finally {
			sandboxes.deleteSandbox(id);
		}
		assertThat(client.getStatusCode()).isEqualTo(204);
		assertThat(sandboxes.getSandbox(id).getStatus()).isEqualTo(SandboxView.StatusEnum.TERMINATED);
	}

	@Test
	void aRefusalIsAProblemWithItsCode() throws Exception {
		var sandboxes = new SandboxesApi(client);

		var missing = catchThrowableOfType(ApiException.class, () -> sandboxes.getSandbox("sbx-nothing-here"));
		assertThat(missing.getCode()).isEqualTo(404);
		assertThat(problem(missing).getCode()).isEqualTo(Problem.CodeEnum.SANDBOX_NOT_FOUND);

		var invalid = catchThrowableOfType(ApiException.class,
				() -> sandboxes.createSandbox(new CreateSandboxRequest().image("Not An Image!")));
		assertThat(invalid.getCode()).isEqualTo(400);
		var problem = problem(invalid);
		assertThat(problem.getCode()).isEqualTo(Problem.CodeEnum.VALIDATION_FAILED);
		assertThat(problem.getErrors()).extracting(FieldViolation::getField).contains("image");
	}

	private Problem problem(ApiException exception) throws Exception {
		assertThat(exception.getResponseHeaders()).anySatisfy((name, values) -> {
			assertThat(name).isEqualToIgnoringCase("Content-Type");
			assertThat(values).containsExactly("application/problem+json");
		});
		return client.getObjectMapper().readValue(exception.getResponseBody(), Problem.class);
	}

}
