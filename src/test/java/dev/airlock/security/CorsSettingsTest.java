package dev.airlock.security;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class CorsSettingsTest {

	@Test
	void originsAreSchemeHostAndPortOnly() {
		assertThat(settings("https://portal.example.com", "http://localhost:3000").allowedOrigins()).hasSize(2);
		for (var notAnOrigin : List.of("*", "https://*.example.com", "portal.example.com",
				"https://portal.example.com/app", "https://portal.example.com?x=1", "https://user@portal.example.com",
				"file:///etc", "null", "")) {
			assertThatIllegalArgumentException().as(notAnOrigin)
				.isThrownBy(() -> settings(notAnOrigin))
				.withMessageContaining("airlock.api.cors.allowed-origins");
		}
	}

	@Test
	void aSchemesDefaultPortIsRefusedForABrowserNeverSendsIt() {
		// https://portal.example.com:443 would never match the Origin a browser sends
		// (https://portal.example.com): the portal would be refused without a word
		for (var neverSent : List.of("https://portal.example.com:443", "http://portal.example.com:80",
				"HTTPS://portal.example.com:443")) {
			assertThatIllegalArgumentException().as(neverSent)
				.isThrownBy(() -> settings(neverSent))
				.withMessageContaining("default port");
		}
		assertThat(settings("https://portal.example.com:8443", "http://localhost:443").allowedOrigins()).hasSize(2);
	}

	private static CorsSettings settings(String... origins) {
		return new CorsSettings(List.of(origins), List.of("GET"), List.of("Authorization"), List.of(),
				Duration.ofHours(1));
	}

}
