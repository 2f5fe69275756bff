package io.storeman.common;

import io.vertx.core.VertxException;
import io.vertx.core.http.ConnectionPoolTooBusyException;
import io.vertx.core.impl.NoStackTraceThrowable;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;
import java.net.SocketException;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Predicate;

/**
 * Tells a database outage or an overload (work refused at once rather than queued without bound) from a fault of
 * ours, so an outage answers 503 and a bug answers 500 (docs/security.md E5). Only the exception types, SQLSTATEs
 * and the one Vert.x pool message that mean "not now" count; an I/O error or a message that merely mentions a
 * timeout is a fault like any other. Hibernate Reactive wraps driver errors in several layers, sometimes as
 * suppressed exceptions, so every cause and suppressed exception is looked at.
 */
public final class Failures {

    /** A statement run on the pool itself that got no connection within the acquisition timeout. */
    private static final String POOL_QUERY_TIMEOUT = "Timeout waiting for connection";
    /** {@code getConnection()} past the acquisition timeout: Vert.x fails it with a bare NoStackTraceThrowable. */
    private static final String POOL_ACQUIRE_TIMEOUT = "Timeout";

    private Failures() {
    }

    public static boolean isUnavailable(Throwable failure) {
        return any(failure, Failures::meansUnavailable);
    }

    private static boolean meansUnavailable(Throwable t) {
        return t instanceof SocketException
                || t instanceof ClosedConnectionException
                || t instanceof ConnectionPoolTooBusyException
                || t instanceof RejectedExecutionException
                || isPoolTimeout(t)
                || isUnavailableState(sqlState(t));
    }

    /** The reactive pool's acquisition timeout, by its exact class and message (see the constants). */
    private static boolean isPoolTimeout(Throwable t) {
        return (t.getClass() == NoStackTraceThrowable.class && POOL_ACQUIRE_TIMEOUT.equals(t.getMessage()))
                || (t.getClass() == VertxException.class && POOL_QUERY_TIMEOUT.equals(t.getMessage()));
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

