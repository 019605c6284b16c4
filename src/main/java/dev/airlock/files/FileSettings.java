package dev.airlock.files;

import java.nio.file.Path;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where uploads wait on this host until they are complete.
 *
 * @param spoolDirectory the folder of the spool's per-process folders; empty:
 * {@code airlock-uploads} in the JVM's temporary folder. Created owner-only if missing;
 * must belong to Airlock's user and be writable by no one else
 * @param spoolMaxBytes the bytes all uploads in flight on this replica may hold in the
 * spool together; an upload that would pass it is refused (507). Keep it above the
 * largest {@code maxUploadBytes} of any policy
 */
@ConfigurationProperties("airlock.files")
public record FileSettings(@Nullable Path spoolDirectory, @DefaultValue("1073741824") long spoolMaxBytes) {
}
