package io.storeman.common;

import io.vertx.core.impl.NoStackTraceThrowable;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;
import java.io.IOException;
import java.net.ConnectException;
import java.util.concurrent.TimeoutException;

/** Tells a database outage from a fault of ours, so an outage answers 503 and a bug answers 500. */
public final class Failures {

    private Failures() {
    }

    public static boolean isDatabaseUnavailable(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ConnectException || t instanceof ClosedConnectionException
                    || t instanceof TimeoutException || t instanceof IOException) {
                return true;
            }
            if (t instanceof PgException pg && pg.getSqlState() != null
                    && (pg.getSqlState().startsWith("08") || pg.getSqlState().startsWith("57")
                            || pg.getSqlState().equals("53300"))) {
                return true;
            }
            if (t instanceof NoStackTraceThrowable && String.valueOf(t.getMessage()).contains("Timeout")) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    /** Whether the failure is a unique-constraint violation (SQLSTATE 23505). */
    public static boolean isUniqueViolation(Throwable failure) {
        for (Throwable t = failure; t != null && t.getCause() != t; t = t.getCause()) {
            if (t instanceof PgException pg && "23505".equals(pg.getSqlState())) {
                return true;
            }
        }
        return false;
    }
}
