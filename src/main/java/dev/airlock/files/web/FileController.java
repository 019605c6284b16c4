package dev.airlock.files.web;

import java.io.IOException;
import java.util.List;

import dev.airlock.files.FileService;
import dev.airlock.files.StoredFile;
import dev.airlock.runtime.FileEntry;
import dev.airlock.security.Caller;
import io.swagger.v3.oas.annotations.Operation;
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

	@Operation(summary = "Write a file (raw body); parent folders are created; 201")
	@PutMapping("/content")
	ResponseEntity<StoredFile> write(@PathVariable String id, @RequestParam String path, HttpServletRequest request,
			@AuthenticationPrincipal Caller caller) throws IOException {
		var stored = files.write(id, path, request.getContentLengthLong(), request.getInputStream(), caller);
		return ResponseEntity.status(HttpStatus.CREATED).body(stored);
	}

	@Operation(summary = "Read a file as raw bytes")
	@GetMapping(path = "/content", produces = MediaType.APPLICATION_OCTET_STREAM_VALUE)
	void read(@PathVariable String id, @RequestParam String path, @AuthenticationPrincipal Caller caller,
			HttpServletResponse response) throws IOException {
		files.read(id, path, caller, size -> {
			response.setContentType(MediaType.APPLICATION_OCTET_STREAM_VALUE);
			response.setContentLengthLong(size);
			return response.getOutputStream();
		});
	}

	@Operation(summary = "List a folder")
	@GetMapping
	List<FileEntry> list(@PathVariable String id, @RequestParam String path, @AuthenticationPrincipal Caller caller) {
		return files.list(id, path, caller);
	}

	@Operation(summary = "Delete a file or a folder with its contents")
	@DeleteMapping
	@ResponseStatus(HttpStatus.NO_CONTENT)
	void delete(@PathVariable String id, @RequestParam String path, @AuthenticationPrincipal Caller caller) {
		files.delete(id, path, caller);
	}

}
