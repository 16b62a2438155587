package dev.rendezvous.resilience;

/**
 * Implemented by an exception that is the service's answer about the request itself (e.g. rows a database refuses as
 * data): never an outage, whatever its cause says — it passes a {@link Guard} untouched and counts as a success for the
 * circuit breaker (retrying the same request cannot help, and the service is there).
 */
public interface RequestRefused {}
