package dev.rendezvous.gateway.resilience;

import com.aerospike.client.AerospikeException;
import com.aerospike.client.ResultCode;
import io.r2dbc.spi.R2dbcException;
import io.r2dbc.spi.R2dbcNonTransientResourceException;
import io.r2dbc.spi.R2dbcTimeoutException;
import io.r2dbc.spi.R2dbcTransientResourceException;
import java.io.IOException;
import java.util.concurrent.TimeoutException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.dao.TransientDataAccessResourceException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;

/**
 * The outside services the gateway calls from its REST and WebSocket side, each behind its own {@link Guard}. Each
 * knows which of its failures mean "the service is not there" (an outage: counted by the circuit breaker, retried
 * when the call is idempotent, answered 503) as opposed to an answer about the request itself (a duplicate key, a
 * missing object), which passes through untouched.
 */
public enum Dependency {

    POSTGRESQL("postgresql", "the database") {
        @Override
        boolean isOwnOutage(Throwable t) {
            if (t instanceof R2dbcTransientResourceException || t instanceof R2dbcTimeoutException
                    || t instanceof R2dbcNonTransientResourceException || t instanceof DataAccessResourceFailureException
                    || t instanceof TransientDataAccessResourceException || t instanceof QueryTimeoutException) {
                return true;
            }
            // SQLSTATE class 08 (connection exception) and 57P (operator intervention: shutdown, starting up)
            String state = t instanceof R2dbcException r ? r.getSqlState() : null;
            return state != null && (state.startsWith("08") || state.startsWith("57P"));
        }
    },

    S3("s3", "file storage") {
        @Override
        boolean isOwnOutage(Throwable t) {
            // a client-side failure is no answer at all (refused, reset, timed out); 5xx is the service failing
            return t instanceof SdkClientException
                    || t instanceof AwsServiceException s && s.statusCode() >= 500;
        }
    },

    AEROSPIKE("aerospike", "the shared state") {
        @Override
        boolean isOwnOutage(Throwable t) {
            if (t instanceof AerospikeException.Timeout || t instanceof AerospikeException.Connection
                    || t instanceof AerospikeException.AsyncQueueFull) {
                return true;
            }
            if (t instanceof AerospikeException a) {
                int code = a.getResultCode();
                return code == ResultCode.SERVER_NOT_AVAILABLE || code == ResultCode.INVALID_NODE_ERROR
                        || code == ResultCode.NO_MORE_CONNECTIONS || code == ResultCode.TIMEOUT;
            }
            return false;
        }
    },

    CLICKHOUSE("clickhouse", "the analytics store") {
        @Override
        boolean isOwnOutage(Throwable t) {
            // the reads are fixed queries of one meeting's rows: any failure of theirs is the server's or the way's
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
     * one of the service's own "unavailable" errors.
     */
    public boolean isOutage(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof TimeoutException || t instanceof IOException || isOwnOutage(t)) {
                return true;
            }
        }
        return false;
    }

    abstract boolean isOwnOutage(Throwable t);
}
