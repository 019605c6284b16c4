package dev.airlock;

import java.util.HashMap;
import java.util.Map;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Another Airlock in this JVM over the same database and Docker engine: a restarted
 * service, a second replica. Close it when done.
 */
public final class SecondInstance {

	private SecondInstance() {
	}

	public static ConfigurableApplicationContext start(JdbcConnectionDetails database, Map<String, Object> properties,
			Class<?>... extraSources) {
		var all = new HashMap<String, Object>();
		all.put("server.port", "0");
		all.put("airlock.security.admin-api-key", Api.ADMIN_KEY);
		all.put("spring.datasource.url", database.getJdbcUrl());
		all.put("spring.datasource.username", database.getUsername());
		all.put("spring.datasource.password", database.getPassword());
		all.putAll(properties);
		var sources = new Class<?>[extraSources.length + 2];
		sources[0] = AirlockApplication.class;
		sources[1] = RecordedEvents.class;
		System.arraycopy(extraSources, 0, sources, 2, extraSources.length);
		// as command-line arguments: they outrank application.yml, as the test's own
		// properties do
		var args = all.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue()).toArray(String[]::new);
		return new SpringApplicationBuilder(sources).web(WebApplicationType.SERVLET).run(args);
	}

	public static int port(ConfigurableApplicationContext context) {
		return Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
	}

}
