/**
 * Resilience4j around every call the apps make to PostgreSQL, S3, Aerospike and ClickHouse: one {@link
 * dev.rendezvous.resilience.Guard} per {@link dev.rendezvous.resilience.Dependency} (a time limit per attempt, retries
 * with backoff for idempotent calls only, a circuit breaker, a bulkhead, a deadline for the whole call), made by
 * {@link dev.rendezvous.resilience.Guards} from {@code rendezvous.resilience.*} with their state in Micrometer, and
 * applied by the stores: the gateway's REST side (an outage is answered 503 {@code dependency_unavailable}), the
 * stream-apps pipelines into PostgreSQL and ClickHouse, the recorder's S3 uploads. An outage comes out as {@link
 * dev.rendezvous.resilience.DependencyUnavailableException}.
 */
package dev.rendezvous.resilience;
