package io.storeman.oauth.revoke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.storeman.common.DatabaseNotifications;
import io.storeman.common.StoremanConfig;
import io.storeman.oauth.OAuthMetrics;
import io.storeman.oauth.Scopes;
import io.storeman.oauth.token.AccessToken;
import io.vertx.mutiny.core.Vertx;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** This instance's copy of the revocation list: entries leave it once what they cover has expired. */
@QuarkusTest
class RevocationListTest {

    @Inject
    RevocationList list;

    @Inject
    Pool pool;

    @Inject
    Vertx vertx;

    @Inject
    StoremanConfig config;

    @Inject
    OAuthMetrics metrics;

    @Inject
    DatabaseNotifications notifications;

    @ConfigProperty(name = "quarkus.datasource.jdbc.url")
    String jdbcUrl;

    private static AccessToken token(String jti, long expiresAt) {
        return new AccessToken(jti, "1", "revocation-list-test", Scopes.DEFAULT, expiresAt - 7200, expiresAt);
    }

    @Test
    void entryWhenExpiredThenGoneAtOnceAndAfterThePollWhileLiveEntriesStay() throws InterruptedException {
        long now = System.currentTimeMillis() / 1000;
        String soonJti = UUID.randomUUID().toString();
        String liveJti = UUID.randomUUID().toString();
        list.remember(Revocations.KIND_JTI, soonJti, now + 1);
        list.remember(Revocations.KIND_JTI, liveJti, now + 3600);
        assertTrue(list.isRevoked(token(soonJti, now + 1)));

        while (System.currentTimeMillis() / 1000 <= now + 1) {
            Thread.sleep(50);
        }
        assertFalse(list.isRevoked(token(soonJti, now + 1)), "an entry leaves the list when it expires");
        list.poll().await().atMost(Duration.ofSeconds(10));

        assertFalse(list.isRevoked(token(soonJti, now + 1)));
        assertTrue(list.isRevoked(token(liveJti, now + 3600)));
        assertTrue(list.isCurrent());
    }

    @Test
    void entryWhenIdIsNotAUuidThenRevokedExactlyAndExpiresLikeTheRest() {
        long now = System.currentTimeMillis() / 1000;
        String odd = "not-a-uuid-" + UUID.randomUUID();
        list.remember(Revocations.KIND_JTI, odd, now + 3600);
        list.remember(Revocations.KIND_JTI, odd + "-gone", now - 1);

        assertTrue(list.isRevoked(token(odd, now + 3600)));
        assertFalse(list.isRevoked(token(odd + "x", now + 3600)));
        list.poll().await().atMost(Duration.ofSeconds(10));
        assertFalse(list.isRevoked(token(odd + "-gone", now - 1)));
        assertTrue(list.isRevoked(token(odd, now + 3600)));
    }

    @Test
    void entryWhoseTransactionCommitsAfterAPollThenFoundByTheNextPoll() throws Exception {
        long now = System.currentTimeMillis() / 1000;
        String lateJti = UUID.randomUUID().toString();
        try (Connection db = DriverManager.getConnection(jdbcUrl, "postgres", null)) {
            db.setAutoCommit(false);
            try (Statement statement = db.createStatement()) {
                // Written now, committed only after the poll below has taken its snapshot.
                statement.executeUpdate("insert into revocations (kind, value, expires_at, created_at) values"
                        + " ('jti', '" + lateJti + "', now() + interval '1 hour', now() - interval '1 hour')");
            }
            list.poll().await().atMost(Duration.ofSeconds(10));
            assertFalse(list.isRevoked(token(lateJti, now + 3600)), "not committed yet");
            db.commit();
        }

        list.poll().await().atMost(Duration.ofSeconds(10));

        assertTrue(list.isRevoked(token(lateJti, now + 3600)), "an entry committed late is still read");
    }

    @Test
    void entriesWhenMoreThanAPageThenAllReadByTheNextPollAndByAFreshStart() throws Exception {
        long now = System.currentTimeMillis() / 1000;
        List<String> jtis = IntStream.range(0, 2 * RevocationList.PAGE_ROWS + 7)
                .mapToObj(i -> UUID.randomUUID().toString()).toList();
        try (Connection db = DriverManager.getConnection(jdbcUrl, "postgres", null);
                PreparedStatement insert = db.prepareStatement("insert into revocations (kind, value, expires_at)"
                        + " select 'jti', jti, now() + interval '1 hour' from unnest(?::text[]) as jti")) {
            insert.setArray(1, db.createArrayOf("text", jtis.toArray()));
            assertEquals(jtis.size(), insert.executeUpdate());
        }

        list.poll().await().atMost(Duration.ofSeconds(30));
        RevocationList started = new RevocationList(pool, vertx, config, metrics, notifications);
        started.poll().await().atMost(Duration.ofSeconds(30));

        for (RevocationList each : List.of(list, started)) {
            assertTrue(each.isCurrent());
            assertEquals(jtis.size(), jtis.stream().filter(jti -> each.isRevoked(token(jti, now + 3600))).count(),
                    "every entry of every page is on the list");
        }
    }

    @Test
    void readWhenRepeatedThenLeavesNoStatementPreparedOnItsConnection() {
        long leftPrepared = pool.withTransaction(connection -> preparedStatements(connection)
                        .chain(before -> list.read(connection, null)
                                .chain(() -> list.read(connection, null))
                                .chain(() -> preparedStatements(connection))
                                .map(after -> after - before)))
                .await().atMost(Duration.ofSeconds(30));
        assertEquals(0, leftPrepared, "a poll a second must not pile up statements on the pooled connections");
    }

    private static Uni<Long> preparedStatements(SqlConnection connection) {
        return connection.query("select count(*) from pg_prepared_statements").execute()
                .map(rows -> rows.iterator().next().getLong(0));
    }
}
