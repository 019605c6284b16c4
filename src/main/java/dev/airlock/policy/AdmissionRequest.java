package dev.airlock.policy;

/** What a new sandbox asks of its policy, and for which tenant. */
public record AdmissionRequest(String image, double cpus, int memoryMb, int ttlSeconds, String tenant) {
}
