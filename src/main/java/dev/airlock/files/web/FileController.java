package dev.airlock.files.web;

import java.io.IOException;
import java.util.List;

import dev.airlock.core.ErrorCode;
import dev.airlock.core.ProblemCodes;
import dev.airlock.files.FileService;
import dev.airlock.files.StoredFile;
import dev.airlock.runtime.FileEntry;
import dev.airlock.security.Caller;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** {@code /v1/sandboxes/{id}/files}: raw bytes in and out, listings, deletes. */
@Tag(name = "Files")
@RestController
@RequestMapping("/v1/sandboxes/{id}/files")
class FileController {

	private final FileService files;

	FileController(FileService files) {
		this.files = files;
	}

	@Operation(operationId = "writeFile", summary = "Write a file (raw body); parent folders are created",
			requestBody = @RequestBody(required = true, description = "The file's bytes",
					content = @Content(mediaType = MediaType.APPLICATION_OCTET_STREAM_VALUE,
							schema = @Schema(type = "string", format = "binary"))))
	@ProblemCodes({ ErrorCode.SANDBOX_NOT_FOUND, ErrorCode.SANDBOX_NOT_RUNNING, ErrorCode.PATH_NOT_ALLOWED,
			ErrorCode.NOT_A_DIRECTORY, ErrorCode.MALFORMED_REQUEST, ErrorCode.PAYLOAD_TOO_LARGE,
			ErrorCode.QUOTA_EXCEEDED, ErrorCode.STORAGE_FULL, ErrorCode.RUNTIME_ERROR, ErrorCode.RUNTIME_UNAVAILABLE })
	@PutMapping(path = "/content", produces = MediaType.APPLICATION_JSON_VALUE)
	@ResponseStatus(HttpStatus.CREATED)
	ResponseEntity<StoredFile> write(@PathVariable String id, @RequestParam String path, HttpServletRequest request,
			@AuthenticationPrincipal Caller caller) throws IOException {
		var stored = files.write(id, path, request.getContentLengthLong(), request.getInputStream(), caller);
		return ResponseEntity.status(HttpStatus.CREATED).body(stored);
	}

	@Operation(operationId = "readFile", summary = "Read a file as raw bytes",
			responses = @ApiResponse(responseCode = "200", description = "The file's bytes",
					content = @Content(mediaType = MediaType.APPLICATION_OCTET_STREAM_VALUE,
							schema = @Schema(type = "string", format = "binary"))))
	@ProblemCodes({ ErrorCode.SANDBOX_NOT_FOUND, ErrorCode.SANDBOX_NOT_RUNNING, ErrorCode.PATH_NOT_ALLOWED,
			ErrorCode.FILE_NOT_FOUND, ErrorCode.NOT_A_FILE, ErrorCode.RUNTIME_ERROR, ErrorCode.RUNTIME_UNAVAILABLE })
	// no "produces": the bytes are the answer whatever the Accept (a generated client
	// may send only its problem type, application/problem+json)
	@GetMapping("/content")
	void read(@PathVariable String id, @RequestParam String path, @AuthenticationPrincipal Caller caller,
			HttpServletResponse response) throws IOException {
		files.read(id, path, caller, size -> {
			response.setContentType(MediaType.APPLICATION_OCTET_STREAM_VALUE);
			response.setContentLengthLong(size);
			return response.getOutputStream();
		});
	}

	@Operation(operationId = "listFiles", summary = "List a folder")
	@ProblemCodes({ ErrorCode.SANDBOX_NOT_FOUND, ErrorCode.SANDBOX_NOT_RUNNING, ErrorCode.PATH_NOT_ALLOWED,
			ErrorCode.FILE_NOT_FOUND, ErrorCode.NOT_A_DIRECTORY, ErrorCode.RUNTIME_ERROR,
			ErrorCode.RUNTIME_UNAVAILABLE })
	@GetMapping
	List<FileEntry> list(@PathVariable String id, @RequestParam String path, @AuthenticationPrincipal Caller caller) {
		return files.list(id, path, caller);
	}

	@Operation(operationId = "deleteFile", summary = "Delete a file or a folder with its contents")
	@ProblemCodes({ ErrorCode.SANDBOX_NOT_FOUND, ErrorCode.SANDBOX_NOT_RUNNING, ErrorCode.PATH_NOT_ALLOWED,
			ErrorCode.FILE_NOT_FOUND, ErrorCode.RUNTIME_ERROR, ErrorCode.RUNTIME_UNAVAILABLE })
	@DeleteMapping
	@ResponseStatus(HttpStatus.NO_CONTENT)
	void delete(@PathVariable String id, @RequestParam String path, @AuthenticationPrincipal Caller caller) {
		files.delete(id, path, caller);
	}

}
