package io.storeman.common;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.VertxException;
import io.vertx.core.http.ConnectionPoolTooBusyException;
import io.vertx.core.impl.NoStackTraceThrowable;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.sql.SQLException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/** docs/security.md E5: 503 by the types that mean an outage or an overload, case by case; 500 for the rest. */
class FailuresTest {

    private static PgException sqlState(String state) {
        return new PgException("message", "ERROR", state, null);
    }

    // --- Connections

    @Test
    void whenConnectionRefusedThenUnavailable() {
        assertTrue(Failures.isUnavailable(new ConnectException("Connection refused")));
    }

    @Test
    void whenSocketFailsThenUnavailable() {
        assertTrue(Failures.isUnavailable(new SocketException("Connection reset")));
    }

    @Test
    void whenPooledConnectionClosedThenUnavailable() {
        assertTrue(Failures.isUnavailable(ClosedConnectionException.INSTANCE));
    }

    // --- Overload

    @Test
    void whenPoolWaitQueueFullThenUnavailable() {
        assertTrue(Failures.isUnavailable(
                new ConnectionPoolTooBusyException("Connection pool reached max wait queue size of 10")));
    }

    @Test
    void whenWorkRefusedThenUnavailable() {
        assertTrue(Failures.isUnavailable(new RejectedExecutionException("Too many passwords waiting")));
    }

    @Test
    void whenPoolAcquisitionTimesOutThenUnavailable() {
        assertTrue(Failures.isUnavailable(new NoStackTraceThrowable("Timeout")));
        assertTrue(Failures.isUnavailable(new VertxException("Timeout waiting for connection", true)));
    }

    // --- SQLSTATE

    @Test
    void whenSqlStateIsAConnectionExceptionThenUnavailable() {
        assertTrue(Failures.isUnavailable(sqlState("08006")));
        assertTrue(Failures.isUnavailable(new SQLException("connection failure", "08001")));
    }

    @Test
    void whenSqlStateIsOperatorInterventionThenUnavailable() {
        assertTrue(Failures.isUnavailable(sqlState("57P01")));
        assertTrue(Failures.isUnavailable(sqlState("57014")));
    }

    @Test
    void whenTooManyConnectionsThenUnavailable() {
        assertTrue(Failures.isUnavailable(sqlState("53300")));
    }

    @Test
    void whenOtherSqlStateThenNotUnavailable() {
        assertFalse(Failures.isUnavailable(sqlState("23505")));
        assertFalse(Failures.isUnavailable(sqlState("53100")));
        assertFalse(Failures.isUnavailable(sqlState("42P01")));
    }

    // --- Wrapped as Hibernate Reactive and Mutiny wrap them

    @Test
    void whenOutageIsACauseOrSuppressedThenUnavailable() {
        assertTrue(Failures.isUnavailable(new CompletionException(new IllegalStateException(sqlState("08003")))));
        RuntimeException wrapper = new RuntimeException("session failed");
        wrapper.addSuppressed(new ConnectException("Connection refused"));
        assertTrue(Failures.isUnavailable(wrapper));
    }

    @Test
    void whenCausesFormACycleThenAnswerStill() {
        RuntimeException first = new RuntimeException("first");
        RuntimeException second = new RuntimeException("second", first);
        first.initCause(second);
        assertFalse(Failures.isUnavailable(first));
    }

    // --- Not an outage: a fault of ours, 500

    @Test
    void whenPlainIoExceptionThenNotUnavailable() {
        assertFalse(Failures.isUnavailable(new IOException("disk full")));
        assertFalse(Failures.isUnavailable(new UncheckedIOException(new IOException("broken template"))));
    }

    @Test
    void whenUnrelatedTimeoutMessageThenNotUnavailable() {
        assertFalse(Failures.isUnavailable(new IllegalStateException("Timeout")));
        assertFalse(Failures.isUnavailable(new NoStackTraceThrowable("Timeout reading the key file")));
        assertFalse(Failures.isUnavailable(new VertxException("Timeout")));
        assertFalse(Failures.isUnavailable(new RuntimeException("Timeout waiting for connection")));
    }

    @Test
    void whenTimeoutExceptionOfAnotherKindThenNotUnavailable() {
        assertFalse(Failures.isUnavailable(new TimeoutException("call took too long")));
    }

    @Test
    void whenBugOrNothingThenNotUnavailable() {
        assertFalse(Failures.isUnavailable(new NullPointerException()));
        assertFalse(Failures.isUnavailable(null));
    }
}
