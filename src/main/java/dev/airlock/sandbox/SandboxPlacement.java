package dev.airlock.sandbox;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * Which engine a sandbox runs on: recorded at create; a row from before engines were
 * recorded is claimed by the engine found to have its container.
 */
@Service
public class SandboxPlacement {

	private final JdbcClient jdbc;

	SandboxPlacement(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * Records {@code engine} as the sandbox's, unless the row already names one.
	 * @return whether the row changed
	 */
	public boolean adopt(String id, String engine) {
		return jdbc.sql("update sandboxes set engine_id = :engine where id = :id and engine_id is null")
			.param("engine", engine)
			.param("id", id)
			.update() == 1;
	}

}
