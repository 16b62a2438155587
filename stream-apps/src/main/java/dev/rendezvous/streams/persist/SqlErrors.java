package dev.rendezvous.streams.persist;

import io.r2dbc.spi.R2dbcException;

/** Telling PostgreSQL refusing the rows themselves from a failure that may pass. */
public final class SqlErrors {

    private SqlErrors() {}

    /**
     * SQLSTATE class 22 (data exception: bad value, too long, invalid encoding) and 23 (integrity
     * constraint: NOT NULL, ...) are about the rows themselves. Everything else — no connection (no
     * SQLSTATE), 08 connection, 53 resources, 57 shutdown, 40 serialization, ... — may pass and is retried.
     */
    public static boolean refusesData(Throwable e) {
        String state = sqlState(e);
        return state != null && (state.startsWith("22") || state.startsWith("23"));
    }

    /** The SQLSTATE of the first R2DBC exception in the cause chain (Spring wraps them). */
    public static String sqlState(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof R2dbcException r && r.getSqlState() != null) {
                return r.getSqlState();
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return null;
    }

    /** A refused-data error as {@link TableStore.RefusedDataException}; others unchanged. */
    public static Throwable classify(Throwable e) {
        return refusesData(e)
                ? new TableStore.RefusedDataException("PostgreSQL refused the rows (SQLSTATE " + sqlState(e) + ")", e)
                : e;
    }
}
