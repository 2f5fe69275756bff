package io.storeman.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.PoolOptions;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

@QuarkusTest
class DatabasePoolTest {

    @Inject
    Pool pool;

    @Inject
    io.vertx.core.Vertx vertx;

    @Test
    void pooledConnectionWhenOpenedThenStatementTimeoutApplies() {
        String timeout = pool.query("show statement_timeout").execute()
                .map(rows -> rows.iterator().next().getString(0))
                .await().atMost(Duration.ofSeconds(10));
        assertEquals("5s", timeout);
    }

    /**
     * A request that waits longer than the acquisition timeout for a pooled connection fails as unavailable (503,
     * docs/security.md D7), not as a fault of ours (500): Vert.x reports it as a plain VertxException.
     */
    @Test
    void connectionWhenPoolStaysBusyPastTheAcquisitionTimeoutThenUnavailable() {
        PgConnectOptions options = new PgConnectOptions().setHost("127.0.0.1").setPort(5432)
                .setUser("postgres").setDatabase("postgres");
        PoolOptions one = new PoolOptions().setMaxSize(1).setConnectionTimeout(200)
                .setConnectionTimeoutUnit(TimeUnit.MILLISECONDS);
        Pool tiny = Pool.newInstance(PgBuilder.pool().with(one).connectingTo(options).using(vertx).build());
        try {
            SqlConnection held = tiny.getConnection().await().atMost(Duration.ofSeconds(10));
            // Through a connection, and through a statement on the pool itself: Vert.x fails them differently.
            Throwable connecting = assertThrows(Throwable.class,
                    () -> tiny.getConnection().await().atMost(Duration.ofSeconds(10)));
            assertTrue(Failures.isUnavailable(connecting), connecting.toString());
            Throwable querying = assertThrows(Throwable.class,
                    () -> tiny.query("select 1").execute().await().atMost(Duration.ofSeconds(10)));
            assertTrue(Failures.isUnavailable(querying), querying.toString());
            held.closeAndAwait();
        } finally {
            tiny.closeAndAwait();
        }
    }
}
