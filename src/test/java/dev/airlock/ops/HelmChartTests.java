package dev.airlock.ops;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.marcnuri.helm.Helm;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The chart, linted and rendered by real Helm; the output parsed back as Kubernetes
 * objects.
 */
class HelmChartTests {

	static final Path CHART = Path.of("helm/airlock");

	/** What every install must give: the bootstrap admin key (or a Secret with it). */
	static final Map<String, Object> REQUIRED = Map.of("adminApiKey", "admin-key-0123456789", "database.password",
			"pw");

	@SuppressWarnings("unchecked")
	static List<Map<String, Object>> render(Map<String, Object> values) {
		var template = new Helm(CHART).template().withName("airlock").withNamespace("sandboxes");
		REQUIRED.forEach(template::set);
		values.forEach(template::set);
		var objects = new ArrayList<Map<String, Object>>();
		for (var document : new Yaml().loadAll(template.call())) {
			if (document != null) {
				objects.add((Map<String, Object>) document);
			}
		}
		return objects;
	}

	static Map<String, Object> find(List<Map<String, Object>> objects, String kind) {
		return objects.stream()
			.filter(o -> kind.equals(o.get("kind")))
			.findFirst()
			.orElseThrow(() -> new AssertionError(
					"no " + kind + " in " + objects.stream().map(o -> o.get("kind")).toList()));
	}

	@SuppressWarnings("unchecked")
	static <T> T at(Object node, Object... path) {
		var current = node;
		for (var step : path) {
			if (current == null) {
				return null;
			}
			current = step instanceof Integer i ? ((List<Object>) current).get(i)
					: ((Map<String, Object>) current).get(step);
		}
		return (T) current;
	}

	static Map<String, Object> values(String... pairs) {
		var values = new LinkedHashMap<String, Object>();
		for (int i = 0; i < pairs.length; i += 2) {
			values.put(pairs[i], pairs[i + 1]);
		}
		return values;
	}

	static String text(Object value) {
		return String.valueOf(value);
	}

	@Test
	void theChartLintsCleanWithTheValuesAnInstallMustGive() throws Exception {
		// helm-java's lint reads the chart's own values.yaml: lint a copy that has the
		// required values set
		var copy = Files.createTempDirectory("airlock-chart").resolve("airlock");
		try (var files = Files.walk(CHART)) {
			for (var file : files.toList()) {
				var target = copy.resolve(CHART.relativize(file).toString());
				if (Files.isDirectory(file)) {
					Files.createDirectories(target);
				}
				else {
					Files.copy(file, target);
				}
			}
		}
		Files.writeString(copy.resolve("values.yaml"), "\nadminApiKey: admin-key-0123456789\n",
				StandardOpenOption.APPEND);

		var result = new Helm(copy).lint().strict().call();

		assertThat(result.isFailed()).as(String.join("\n", result.getMessages())).isFalse();
	}

	@Test
	void defaultsRenderAHardenedDeploymentWithProbesAndNoOptionalObjects() {
		var objects = render(Map.of());

		assertThat(objects).extracting(o -> o.get("kind"))
			.contains("Deployment", "Service", "ConfigMap", "Secret", "ServiceAccount")
			.doesNotContain("ServiceMonitor", "PrometheusRule", "NetworkPolicy");
		for (var object : objects) {
			assertThat(object).containsKeys("apiVersion", "kind", "metadata");
			assertThat(at(object, "metadata", "name").toString()).isNotBlank();
		}
		var deployment = find(objects, "Deployment");
		var pod = at(deployment, "spec", "template", "spec");
		assertThat(at(pod, "securityContext", "runAsNonRoot").toString()).isEqualTo("true");
		assertThat(at(pod, "automountServiceAccountToken").toString()).isEqualTo("false");
		Map<String, Object> container = at(pod, "containers", 0);
		assertThat(at(container, "securityContext", "readOnlyRootFilesystem").toString()).isEqualTo("true");
		assertThat(at(container, "securityContext", "allowPrivilegeEscalation").toString()).isEqualTo("false");
		assertThat(at(container, "securityContext", "capabilities", "drop").toString()).contains("ALL");
		assertThat(at(container, "readinessProbe", "httpGet", "path").toString()).isEqualTo("/readyz");
		assertThat(at(container, "livenessProbe", "httpGet", "path").toString()).isEqualTo("/livez");
		assertThat(at(container, "resources", "limits", "memory").toString()).isEqualTo("1Gi");
		assertThat(container.toString()).contains("AIRLOCK_ADMIN_API_KEY", "AIRLOCK_DATABASE_PASSWORD");
		List<Map<String, Object>> volumes = at(pod, "volumes");
		assertThat(volumes).extracting(v -> at(v, "hostPath", "path")).contains("/var/run/docker.sock");
		var config = find(objects, "ConfigMap");
		assertThat(at(config, "data", "AIRLOCK_RUNTIME_DOCKER_HOST").toString())
			.isEqualTo("unix:///var/run/docker.sock");
		var secret = find(objects, "Secret");
		assertThat(at(secret, "stringData", "admin-api-key").toString()).isEqualTo("admin-key-0123456789");
	}

	@Test
	void nonDefaultValuesTurnOnMonitoringPoliciesAndADedicatedDaemon() {
		var objects = render(values("replicaCount", "3", "docker.mode", "tcp", "docker.host", "tcp://dind:2375",
				"metricsApiKey", "metrics-key-0123456789", "metrics.serviceMonitor.enabled", "true",
				"metrics.prometheusRule.enabled", "true", "networkPolicy.enabled", "true", "dashboards.enabled", "true",
				"existingAdminKeySecret", "my-admin-key", "config.AIRLOCK_ENFORCEMENT_EXPIRY_INTERVAL", "1s",
				"database.migrationUsername", "airlock_owner", "database.migrationPassword", "owner-pw"));

		var deployment = find(objects, "Deployment");
		assertThat(at(deployment, "spec", "replicas").toString()).isEqualTo("3");
		var pod = at(deployment, "spec", "template", "spec");
		assertThat(text(at(pod, "volumes"))).doesNotContain("docker.sock");
		assertThat(String.valueOf(pod)).contains("my-admin-key", "AIRLOCK_METRICS_API_KEY");
		var config = find(objects, "ConfigMap");
		assertThat(at(config, "data", "AIRLOCK_RUNTIME_DOCKER_HOST").toString()).isEqualTo("tcp://dind:2375");
		assertThat(at(config, "data", "AIRLOCK_ENFORCEMENT_EXPIRY_INTERVAL").toString()).isEqualTo("1s");
		assertThat(at(config, "data", "AIRLOCK_DATABASE_MIGRATION_USERNAME").toString()).isEqualTo("airlock_owner");
		assertThat(text(pod)).contains("AIRLOCK_DATABASE_MIGRATION_PASSWORD", "database-migration-password");
		var monitor = find(objects, "ServiceMonitor");
		assertThat(at(monitor, "spec", "endpoints", 0, "path").toString()).isEqualTo("/actuator/prometheus");
		assertThat(at(monitor, "spec", "endpoints", 0, "authorization", "credentials", "key").toString())
			.isEqualTo("metrics-api-key");
		var rules = find(objects, "PrometheusRule");
		assertThat(text(at(rules, "spec", "groups"))).contains("AirlockRuntimeUnreachable", "AirlockKillStorm",
				"AirlockAuditChainBroken", "AirlockCreateLatencyHigh", "AirlockCreateFailureRatioHigh",
				"AirlockPoolHitRateLow", "AirlockPoolRefillFailing");
		var networkPolicy = find(objects, "NetworkPolicy");
		assertThat(at(networkPolicy, "spec", "policyTypes").toString()).contains("Ingress", "Egress");
		// the gateway's connections for sandboxes: public addresses on 80 and 443, no
		// private range
		assertThat(text(at(networkPolicy, "spec", "egress"))).contains("0.0.0.0/0", "10.0.0.0/8", "169.254.0.0/16",
				"443");
		var dashboards = objects.stream()
			.filter(o -> "ConfigMap".equals(o.get("kind"))
					&& at(o, "metadata", "name").toString().endsWith("-dashboard"))
			.findFirst()
			.orElseThrow();
		assertThat(at(dashboards, "data", "airlock-dashboard.json").toString()).contains("airlock_sandboxes_active",
				"airlock_pool_claims_total");
		assertThat(objects.stream()
			.filter(o -> "Secret".equals(o.get("kind")))
			.findFirst()
			.map(String::valueOf)
			.orElse("")).doesNotContain("admin-api-key");
	}

	@Test
	void severalReplicasShareOneEngineOverTlsWithTheClientCertificateFromASecret() {
		var objects = render(values("replicaCount", "3", "docker.mode", "tcp", "docker.host",
				"tcp://engine.internal:2376", "docker.tls.enabled", "true", "docker.tls.secretName", "engine-tls",
				"deploymentId", "prod-eu"));

		var config = find(objects, "ConfigMap");
		assertThat(at(config, "data", "AIRLOCK_RUNTIME_DOCKER_HOST").toString())
			.isEqualTo("tcp://engine.internal:2376");
		assertThat(at(config, "data", "AIRLOCK_RUNTIME_DOCKER_TLS_VERIFY").toString()).isEqualTo("true");
		assertThat(at(config, "data", "AIRLOCK_RUNTIME_DOCKER_CERT_PATH").toString())
			.isEqualTo("/etc/airlock/docker-tls");
		assertThat(at(config, "data", "AIRLOCK_DEPLOYMENT_ID").toString()).isEqualTo("prod-eu");
		var pod = at(find(objects, "Deployment"), "spec", "template", "spec");
		List<Map<String, Object>> volumes = at(pod, "volumes");
		assertThat(volumes).filteredOn(v -> "docker-tls".equals(v.get("name")))
			.singleElement()
			.satisfies(v -> assertThat(at(v, "secret", "secretName").toString()).isEqualTo("engine-tls"))
			.satisfies(v -> assertThat(text(at(v, "secret", "items"))).contains("ca.pem", "cert.pem", "key.pem"));
		List<Map<String, Object>> mounts = at(pod, "containers", 0, "volumeMounts");
		assertThat(mounts).filteredOn(m -> "docker-tls".equals(m.get("name")))
			.singleElement()
			.satisfies(m -> assertThat(m.get("mountPath")).isEqualTo("/etc/airlock/docker-tls"))
			.satisfies(m -> assertThat(m.get("readOnly")).isEqualTo(true));
		// the key is readable by the pod's group, not by everyone
		assertThat(at(pod, "securityContext", "fsGroup").toString()).isEqualTo("10001");
		assertThat(text(volumes)).doesNotContain("docker.sock");
	}

	@Test
	void tlsNeedsAnEngineOverTcpAndASecretWithTheFiles() {
		assertThatThrownBy(() -> render(values("docker.tls.enabled", "true", "docker.tls.secretName", "engine-tls")))
			.hasMessageContaining("docker.mode=tcp");
		assertThatThrownBy(() -> render(values("docker.mode", "tcp", "docker.tls.enabled", "true")))
			.hasMessageContaining("docker.tls.secretName");
		var plain = find(render(Map.of()), "ConfigMap");
		assertThat(text(at(plain, "data"))).doesNotContain("TLS", "CERT_PATH", "AIRLOCK_DEPLOYMENT_ID");
	}

}
