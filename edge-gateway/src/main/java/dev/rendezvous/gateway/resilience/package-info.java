/**
 * Resilience4j around every call the gateway makes to PostgreSQL, S3 and Aerospike: one {@link
 * dev.rendezvous.gateway.resilience.Guard} per {@link dev.rendezvous.gateway.resilience.Dependency} (a time limit
 * per attempt, retries with backoff for idempotent calls only, a circuit breaker, a bulkhead, a deadline for the
 * whole call), made by {@link dev.rendezvous.gateway.resilience.Guards} from {@code rendezvous.resilience.*} and
 * applied by the stores. An outage comes out as {@link dev.rendezvous.gateway.resilience.DependencyUnavailableException}
 * (REST: 503 {@code dependency_unavailable}).
 */
package dev.rendezvous.gateway.resilience;
