package io.storeman.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.storeman.common.Secrets;
import io.storeman.support.Fixtures;
import io.storeman.support.Fixtures.Account;
import io.storeman.support.Fixtures.App;
import io.storeman.support.Fixtures.Tokens;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
class HousekeepingTest {

    @Inject
    Housekeeping housekeeping;

    @Inject
    Pool pool;

    private long count(String sql, Object value) {
        return pool.preparedQuery(sql).execute(Tuple.of(value))
                .map(rows -> rows.iterator().next().getLong(0))
                .await().atMost(Duration.ofSeconds(10));
    }

    private void update(String sql, Object value) {
        pool.preparedQuery(sql).execute(Tuple.of(value)).await().atMost(Duration.ofSeconds(10));
    }

    @Test
    void housekeepingWhenExpiredRowsThenRemovesThemAndKeepsLiveOnes() {
        Account user = Fixtures.newUser();
        App app = Fixtures.newApp(user, "public");
        Tokens expired = Fixtures.passwordTokens(app, user, null);
        Tokens live = Fixtures.passwordTokens(app, user, null);
        String expiredHash = Secrets.sha256(expired.refreshToken());
        String liveHash = Secrets.sha256(live.refreshToken());
        update("update refresh_tokens set expires_at = now() - interval '2 days' where token_hash = $1", expiredHash);
        String staleEntry = "housekeeping-" + expiredHash.substring(0, 20);
        update("insert into revocations (kind, value, bound, expires_at) values ('client', $1, 1,"
                + " now() - interval '1 minute')", staleEntry);
        String account = "housekeeping-" + expiredHash.substring(0, 20);
        update("insert into known_addresses (account, address, expires_at) values ($1, 'old',"
                + " now() - interval '1 minute'), ($1, 'live', now() + interval '1 day')", account);
        update("insert into sign_up_counts (address, window_end, attempts, sign_ups) values ($1, now()"
                + " - interval '1 minute', 1, 1), ($1 || '-live', now() + interval '1 hour', 1, 1)", account);

        Map<String, Long> removed = housekeeping.run().await().atMost(Duration.ofSeconds(30));

        assertTrue(removed.get("refresh_tokens") >= 1, removed.toString());
        assertTrue(removed.get("revocations") >= 1, removed.toString());
        assertEquals(0, count("select count(*) from refresh_tokens where token_hash = $1", expiredHash));
        assertEquals(1, count("select count(*) from refresh_tokens where token_hash = $1", liveHash));
        assertEquals(0, count("select count(*) from revocations where value = $1", staleEntry));
        assertEquals(1, count("select count(*) from known_addresses where account = $1", account));
        assertEquals(1, count("select count(*) from sign_up_counts where address like $1 || '%'", account));
        assertEquals(1, count("select count(*) from sign_up_counts where address = $1 || '-live'", account));
    }
}
