package dev.rendezvous.analytics;

import java.util.List;
import java.util.Map;
import reactor.core.publisher.Mono;

/** What the analytics code needs of ClickHouse: statements, JSONEachRow inserts and JSONEachRow reads. */
public interface ClickHouseSql {

    /** Runs a statement that returns nothing of interest (DDL). */
    Mono<Void> execute(String sql);

    /** Inserts rows given as JSONEachRow (one JSON object per line) into {@code table}. */
    Mono<Void> insertJsonEachRow(String table, byte[] rows);

    /**
     * Runs a SELECT and returns its rows, each a map of column → value as JSON gives it (64-bit integers arrive
     * as strings). The statement must not name a format: {@code FORMAT JSONEachRow} is added.
     */
    Mono<List<Map<String, Object>>> select(String sql);

    /** ClickHouse refused the statement or the rows (an error with a server code), as opposed to a passing failure. */
    final class ServerError extends RuntimeException {
        private final int code;

        public ServerError(int code, String message, Throwable cause) {
            super(message, cause);
            this.code = code;
        }

        /** ClickHouse's error code (e.g. 57 table already exists, 27 cannot parse input). */
        public int code() {
            return code;
        }
    }
}
