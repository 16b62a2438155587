package dev.rendezvous.resilience;

import io.r2dbc.spi.R2dbcException;
import io.r2dbc.spi.R2dbcNonTransientResourceException;
import io.r2dbc.spi.R2dbcTimeoutException;
import io.r2dbc.spi.R2dbcTransientResourceException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.dao.TransientDataAccessResourceException;

/** R2DBC's and Spring's ways of saying PostgreSQL is not there (needs r2dbc-spi and spring-tx). */
final class PostgresqlOutages {

    private PostgresqlOutages() {}

    static boolean isOutage(Throwable t) {
        if (t instanceof R2dbcTransientResourceException || t instanceof R2dbcTimeoutException
                || t instanceof R2dbcNonTransientResourceException || t instanceof DataAccessResourceFailureException
                || t instanceof TransientDataAccessResourceException || t instanceof QueryTimeoutException) {
            return true;
        }
        // SQLSTATE class 08 (connection exception) and 57P (operator intervention: shutdown, starting up)
        String state = t instanceof R2dbcException r ? r.getSqlState() : null;
        return state != null && (state.startsWith("08") || state.startsWith("57P"));
    }
}
