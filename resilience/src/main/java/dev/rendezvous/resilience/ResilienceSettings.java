package dev.rendezvous.resilience;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code rendezvous.resilience.*}: one {@link Policy} per {@link Dependency}, the same keys in every app. The defaults
 * here (the gateway's REST calls: an answer within 2 s) are the same for each; each app's application.yml says what it
 * uses (the background pipelines of stream-apps and the recorder's uploads allow much longer calls).
 */
@ConfigurationProperties("rendezvous.resilience")
public record ResilienceSettings(@DefaultValue Policy postgresql, @DefaultValue Policy s3, @DefaultValue Policy aerospike,
                                 @DefaultValue Policy clickhouse) {

    public Policy of(Dependency d) {
        return switch (d) {
            case POSTGRESQL -> postgresql;
            case S3 -> s3;
            case AEROSPIKE -> aerospike;
            case CLICKHOUSE -> clickhouse;
        };
    }

    /**
     * How one dependency is called.
     *
     * @param timeout       one attempt's time limit (a timeout is a failure for the breaker)
     * @param deadline      the whole call's, retries and backoff included: the longest a caller waits
     * @param retries       further attempts of an idempotent call after a quick failure (not after a timeout)
     * @param retryBackoff  the wait before the first retry, doubled before each next one
     * @param window        the circuit breaker's sliding window, in calls
     * @param minimumCalls  calls in the window before a failure rate is computed
     * @param failureRate   percentage of failed calls in the window that opens the breaker
     * @param openFor       how long an open breaker refuses every call before letting trial calls through
     * @param halfOpenCalls trial calls that decide whether it closes again
     * @param maxConcurrent calls in flight at once (bulkhead); one more is refused at once
     */
    public record Policy(@DefaultValue("PT1.5S") Duration timeout, @DefaultValue("PT1.8S") Duration deadline,
                         @DefaultValue("1") int retries, @DefaultValue("PT0.1S") Duration retryBackoff,
                         @DefaultValue("20") int window, @DefaultValue("5") int minimumCalls,
                         @DefaultValue("50") float failureRate, @DefaultValue("PT5S") Duration openFor,
                         @DefaultValue("3") int halfOpenCalls, @DefaultValue("256") int maxConcurrent) {

        public Policy {
            positive(timeout, "timeout");
            positive(deadline, "deadline");
            positive(retryBackoff, "retry-backoff");
            positive(openFor, "open-for");
            if (retries < 0 || window < 1 || minimumCalls < 1 || halfOpenCalls < 1 || maxConcurrent < 1
                    || failureRate <= 0 || failureRate > 100) {
                throw new IllegalArgumentException("rendezvous.resilience: retries >= 0, window, minimum-calls, "
                        + "half-open-calls and max-concurrent >= 1, failure-rate in (0, 100]");
            }
        }

        /** The defaults (those of application.yml). */
        public static Policy defaults() {
            return new Policy(Duration.ofMillis(1500), Duration.ofMillis(1800), 1, Duration.ofMillis(100), 20, 5, 50f,
                    Duration.ofSeconds(5), 3, 256);
        }

        private static void positive(Duration d, String name) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("rendezvous.resilience.*." + name + " must be positive");
            }
        }
    }
}
