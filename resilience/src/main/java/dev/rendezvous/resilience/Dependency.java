package dev.rendezvous.resilience;

import java.io.IOException;
import java.util.concurrent.TimeoutException;

/**
 * The outside services the apps call, each behind its own {@link Guard}. Each knows which of its failures mean "the
 * service is not there" (an outage: counted by the circuit breaker, retried when the call is idempotent, answered 503
 * by the gateway) as opposed to an answer about the request itself (a duplicate key, a missing object, rows the
 * database refuses), which passes through untouched. The rules of each client live in a class of their own
 * ({@code PostgresqlOutages}, …), loaded only by an app that calls that client: an app needs only its own clients.
 */
public enum Dependency {

    POSTGRESQL("postgresql", "the database") {
        @Override
        boolean isOwnOutage(Throwable t) {
            return PostgresqlOutages.isOutage(t);
        }
    },

    S3("s3", "file storage") {
        @Override
        boolean isOwnOutage(Throwable t) {
            return S3Outages.isOutage(t);
        }
    },

    AEROSPIKE("aerospike", "the shared state") {
        @Override
        boolean isOwnOutage(Throwable t) {
            return AerospikeOutages.isOutage(t);
        }
    },

    CLICKHOUSE("clickhouse", "the analytics store") {
        @Override
        boolean isOwnOutage(Throwable t) {
            // fixed queries and inserts of rows we made: any failure of theirs is the server's or the way's (rows it
            // refuses as data come as a RequestRefused)
            return !(t instanceof IllegalArgumentException);
        }
    };

    private final String id;
    private final String description;

    Dependency(String id, String description) {
        this.id = id;
        this.description = description;
    }

    /** The name of its breaker, bulkhead, retry and time limiter (the {@code name} tag of their metrics). */
    public String id() {
        return id;
    }

    /** For a person: "the database", "file storage", "the shared state". */
    public String description() {
        return description;
    }

    /**
     * True when {@code error} (or one of its causes) says the service did not answer: a timeout, an I/O failure, or
     * one of the service's own "unavailable" errors. A {@link RequestRefused} (and whatever caused it) never is.
     */
    public boolean isOutage(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof RequestRefused) {
                return false;
            }
            if (t instanceof TimeoutException || t instanceof IOException || isOwnOutage(t)) {
                return true;
            }
        }
        return false;
    }

    abstract boolean isOwnOutage(Throwable t);
}
