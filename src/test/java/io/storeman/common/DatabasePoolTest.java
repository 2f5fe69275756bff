package io.storeman.common;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.time.Duration;
import org.junit.jupiter.api.Test;

@QuarkusTest
class DatabasePoolTest {

    @Inject
    Pool pool;

    @Test
    void pooledConnectionWhenOpenedThenStatementTimeoutApplies() {
        String timeout = pool.query("show statement_timeout").execute()
                .map(rows -> rows.iterator().next().getString(0))
                .await().atMost(Duration.ofSeconds(10));
        assertEquals("5s", timeout);
    }
}
