package io.storeman.common;

import io.vertx.core.VertxException;
import io.vertx.core.impl.NoStackTraceThrowable;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;
import java.io.IOException;
import java.net.ConnectException;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * Tells a database outage or an overload (work refused at once rather than queued without bound) from a fault of
 * ours, so an outage answers 503 and a bug answers 500. Hibernate Reactive
 * wraps driver errors in several layers, sometimes as suppressed exceptions, so every cause and suppressed exception
 * is looked at.
 */
public final class Failures {

    /** How a statement run on the pool itself fails when no connection came within the acquisition timeout. */
    private static final String POOL_WAIT_TIMEOUT = "Timeout waiting for connection";

    private Failures() {
    }

    public static boolean isUnavailable(Throwable failure) {
        return any(failure, t -> t instanceof ConnectException
                || t instanceof RejectedExecutionException
                || t instanceof ClosedConnectionException
                || t instanceof TimeoutException
                || t instanceof IOException
                || (t instanceof NoStackTraceThrowable && String.valueOf(t.getMessage()).contains("Timeout"))
                || (t instanceof VertxException && POOL_WAIT_TIMEOUT.equals(t.getMessage()))
                || isUnavailableState(sqlState(t)));
    }

    /** Whether the failure is a foreign-key violation (SQLSTATE 23503): the row referred to is gone. */
    public static boolean isForeignKeyViolation(Throwable failure) {
        return any(failure, t -> "23503".equals(sqlState(t)));
    }

    private static boolean isUnavailableState(String state) {
        // 08: connection exception; 57: operator intervention (shutdown, statement timeout); 53300: too many clients.
        return state != null && (state.startsWith("08") || state.startsWith("57") || state.equals("53300"));
    }

    private static String sqlState(Throwable t) {
        if (t instanceof PgException pg) {
            return pg.getSqlState();
        }
        if (t instanceof SQLException sql) {
            return sql.getSQLState();
        }
        return null;
    }

    private static boolean any(Throwable failure, Predicate<Throwable> test) {
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        Deque<Throwable> queue = new ArrayDeque<>();
        if (failure != null) {
            queue.add(failure);
        }
        while (!queue.isEmpty()) {
            Throwable t = queue.poll();
            if (!seen.add(t)) {
                continue;
            }
            if (test.test(t)) {
                return true;
            }
            if (t.getCause() != null) {
                queue.add(t.getCause());
            }
            Collections.addAll(queue, t.getSuppressed());
        }
        return false;
    }
}

