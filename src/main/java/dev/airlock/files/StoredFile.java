package dev.airlock.files;

/** A file as written: where, how large, and its SHA-256. */
public record StoredFile(String path, long size, String sha256) {
}
