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
    RevocationStore store;

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

    /** A user's token of generation 0 of {@code family}, issued now (after the migration's cut-off). */
    private static AccessToken token(String family, long expiresAt) {
        return token(family, 0, "1", "revocation-list-test", System.currentTimeMillis() / 1000, expiresAt);
    }

    private static AccessToken token(String family, int generation, String subject, String clientId, long issuedAt,
            long expiresAt) {
        return new AccessToken(UUID.randomUUID().toString(), subject, clientId, Scopes.DEFAULT, issuedAt, expiresAt,
                family == null ? null : UUID.fromString(family), generation);
    }

    @Test
    void entryWhenExpiredThenGoneAtOnceAndAfterThePollWhileLiveEntriesStay() throws InterruptedException {
        long now = System.currentTimeMillis() / 1000;
        String soon = UUID.randomUUID().toString();
        String live = UUID.randomUUID().toString();
        list.remember(RevocationStore.KIND_FAMILY, soon, 1, now + 1);
        list.remember(RevocationStore.KIND_FAMILY, live, 1, now + 3600);
        assertTrue(list.isRevoked(token(soon, now + 1)));

        while (System.currentTimeMillis() / 1000 <= now + 1) {
            Thread.sleep(50);
        }
        assertFalse(list.isRevoked(token(soon, now + 1)), "an entry leaves the list when it expires");
        list.poll().await().atMost(Duration.ofSeconds(10));

        assertFalse(list.isRevoked(token(soon, now + 1)));
        assertTrue(list.isRevoked(token(live, now + 3600)));
        assertTrue(list.isCurrent());
    }

    @Test
    void familyWhenItsGenerationIsRetiredThenOnlyEarlierGenerationsRevoked() {
        long now = System.currentTimeMillis() / 1000;
        String family = UUID.randomUUID().toString();
        list.remember(RevocationStore.KIND_FAMILY, family, 3, now + 3600);

        assertTrue(list.isRevoked(token(family, 2, "1", "c", now, now + 3600)));
        assertFalse(list.isRevoked(token(family, 3, "1", "c", now, now + 3600)), "the newest generation stays");
        assertFalse(list.isRevoked(token(UUID.randomUUID().toString(), 0, "1", "c", now, now + 3600)));
        list.remember(RevocationStore.KIND_FAMILY, family, 2, now + 3600);
        assertTrue(list.isRevoked(token(family, 2, "1", "c", now, now + 3600)), "a bound never goes down");
    }

    @Test
    void cutoffWhenSetThenTokensIssuedBeforeItRevokedAndLaterOnesNot() {
        long now = System.currentTimeMillis() / 1000;
        String user = Long.toString(System.nanoTime());
        String client = "cutoff-" + UUID.randomUUID();
        String other = "other-" + UUID.randomUUID();
        list.remember(RevocationStore.KIND_USER, user, now, now + 3600);
        list.remember(RevocationStore.KIND_CLIENT, client, now, now + 3600);
        list.remember(RevocationStore.KIND_GRANT, RevocationStore.grantKey("7", other), now, now + 3600);

        assertTrue(list.isRevoked(token(null, 0, user, other, now - 1, now + 3600)), "the user's, before");
        assertFalse(list.isRevoked(token(null, 0, user, other, now, now + 3600)), "the user's, at the bound");
        assertTrue(list.isRevoked(token(null, 0, "8", client, now - 1, now + 3600)), "the client's, before");
        assertFalse(list.isRevoked(token(null, 0, "8", client, now, now + 3600)));
        assertTrue(list.isRevoked(token(null, 0, "7", other, now - 1, now + 3600)), "the user's at the client");
        assertFalse(list.isRevoked(token(null, 0, "8", other, now - 1, now + 3600)), "another user at the client");
        assertFalse(list.isRevoked(token(null, 0, "7", client + "x", now - 1, now + 3600)));

        list.remember(RevocationStore.KIND_USER, user, now - 100, now - 1);
        assertTrue(list.isRevoked(token(null, 0, user, other, now - 1, now + 3600)), "the later expiry holds");
    }

    @Test
    void cutoffWhenExpiredThenGoneAfterThePoll() {
        long now = System.currentTimeMillis() / 1000;
        String client = "expired-" + UUID.randomUUID();
        int before = list.size();
        list.remember(RevocationStore.KIND_CLIENT, client, now, now - 1);
        assertFalse(list.isRevoked(token(null, 0, "1", client, now - 10, now + 3600)), "expired at once");

        list.poll().await().atMost(Duration.ofSeconds(10));

        assertTrue(list.size() <= before, "the expired cut-off left memory");
    }

    @Test
    void entryWhoseTransactionCommitsAfterAPollThenFoundByTheNextPoll() throws Exception {
        long now = System.currentTimeMillis() / 1000;
        String lateFamily = UUID.randomUUID().toString();
        try (Connection db = DriverManager.getConnection(jdbcUrl, "postgres", null)) {
            db.setAutoCommit(false);
            try (Statement statement = db.createStatement()) {
                // Written now, committed only after the poll below has taken its snapshot.
                statement.executeUpdate("insert into revocations (kind, value, bound, expires_at, created_at) values"
                        + " ('family', '" + lateFamily + "', 1, now() + interval '1 hour', now() - interval '1 hour')");
            }
            list.poll().await().atMost(Duration.ofSeconds(10));
            assertFalse(list.isRevoked(token(lateFamily, now + 3600)), "not committed yet");
            db.commit();
        }

        list.poll().await().atMost(Duration.ofSeconds(10));

        assertTrue(list.isRevoked(token(lateFamily, now + 3600)), "an entry committed late is still read");
    }

    @Test
    void entriesWhenMoreThanAPageThenAllReadByTheNextPollAndByAFreshStart() throws Exception {
        long now = System.currentTimeMillis() / 1000;
        List<String> families = IntStream.range(0, 2 * RevocationStore.PAGE_ROWS + 7)
                .mapToObj(i -> UUID.randomUUID().toString()).toList();
        try (Connection db = DriverManager.getConnection(jdbcUrl, "postgres", null);
                PreparedStatement insert = db.prepareStatement("insert into revocations (kind, value, bound,"
                        + " expires_at) select 'family', f, 1, now() + interval '1 hour' from unnest(?::text[]) as f")) {
            insert.setArray(1, db.createArrayOf("text", families.toArray()));
            assertEquals(families.size(), insert.executeUpdate());
        }

        list.poll().await().atMost(Duration.ofSeconds(30));
        RevocationList started = new RevocationList(store, vertx, config, metrics, notifications);
        started.poll().await().atMost(Duration.ofSeconds(30));

        for (RevocationList each : List.of(list, started)) {
            assertTrue(each.isCurrent());
            assertEquals(families.size(), families.stream()
                    .filter(family -> each.isRevoked(token(family, now + 3600))).count(),
                    "every entry of every page is on the list");
        }
    }

    @Test
    void readWhenRepeatedThenLeavesNoStatementPreparedOnItsConnection() {
        long leftPrepared = pool.withTransaction(connection -> preparedStatements(connection)
                        .chain(before -> store.read(connection, null, entry -> { })
                                .chain(() -> store.read(connection, null, entry -> { }))
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
