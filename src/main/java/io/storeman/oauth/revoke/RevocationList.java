package io.storeman.oauth.revoke;

import io.micrometer.core.instrument.Gauge;
import io.quarkus.runtime.ShutdownEvent;
import io.storeman.oauth.OAuthMetrics;
import io.quarkus.runtime.StartupEvent;
import io.storeman.common.DatabaseNotifications;
import io.storeman.common.StoremanConfig;
import io.storeman.oauth.token.AccessToken;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * This instance's copy of the revocation list, consulted on every API call without touching the database. It is
 * loaded at start, learns of new entries at once through {@code LISTEN storeman_revocations}, and re-reads recent
 * entries every poll interval, which also proves the instance is in touch with the database. An instance out of
 * touch for longer than the allowed staleness is not current, and the API then answers 503 (SECURITY.md D8).
 */
@ApplicationScoped
public class RevocationList {

    static final String CHANNEL = "storeman_revocations";
    private static final Logger LOG = Logger.getLogger(RevocationList.class);
    /** How far back each poll looks, to catch entries whose transaction committed late. */
    private static final Duration LOOKBACK = Duration.ofMinutes(2);

    private final Map<String, Long> revokedJtis = new ConcurrentHashMap<>();
    private final Map<String, Long> revokedClients = new ConcurrentHashMap<>();
    private final Pool pool;
    private final Vertx vertx;
    private final StoremanConfig.Revocation settings;
    private volatile long lastContactNanos = System.nanoTime() - Duration.ofDays(1).toNanos();
    private volatile OffsetDateTime lastPollDbTime;
    private final DatabaseNotifications notifications;
    private long timerId = -1;

    RevocationList(Pool pool, Vertx vertx, StoremanConfig config, OAuthMetrics metrics,
            DatabaseNotifications notifications) {
        this.pool = pool;
        this.vertx = vertx;
        this.settings = config.revocation();
        this.notifications = notifications;
        Gauge.builder("storeman.revocation_list.size", this, RevocationList::size)
                .description("Entries on this instance's revocation list").register(metrics.registry());
        Gauge.builder("storeman.revocation_list.age", this, list -> list.ageSeconds())
                .description("Seconds since this instance last confirmed its revocation list with the database")
                .baseUnit("seconds").register(metrics.registry());
    }

    public double ageSeconds() {
        return (System.nanoTime() - lastContactNanos) / 1e9;
    }

    void onStart(@Observes StartupEvent event) {
        poll().await().atMost(Duration.ofSeconds(30));
        notifications.listen(CHANNEL, this::onNotification, () -> poll().subscribe().with(x -> { }, f -> { }));
        timerId = vertx.setPeriodic(settings.pollInterval().toMillis(),
                id -> poll().subscribe().with(x -> { }, f -> { }));
    }

    void onStop(@Observes ShutdownEvent event) {
        if (timerId >= 0) {
            vertx.cancelTimer(timerId);
        }
    }

    /** Whether the token's jti, or its whole client, is on the list. */
    public boolean isRevoked(AccessToken token) {
        return revokedJtis.containsKey(token.jti()) || revokedClients.containsKey(token.clientId());
    }

    /** Whether this instance has heard from the database recently enough to vouch for tokens. */
    public boolean isCurrent() {
        return System.nanoTime() - lastContactNanos < settings.maxStaleness().toNanos();
    }

    public int size() {
        return revokedJtis.size() + revokedClients.size();
    }

    /** Adds an entry this instance has just committed, ahead of its notification. */
    public void remember(String kind, String value, long expiresAtEpochSecond) {
        (Revocations.KIND_CLIENT.equals(kind) ? revokedClients : revokedJtis).put(value, expiresAtEpochSecond);
    }

    private void onNotification(String payload) {
        String[] parts = payload.split(" ");
        if (parts.length == 3) {
            remember(parts[0], parts[1], Long.parseLong(parts[2]));
        }
    }

    /** Reads entries created since the last poll (all unexpired ones on the first), and drops expired ones. */
    io.smallrye.mutiny.Uni<Void> poll() {
        OffsetDateTime since = lastPollDbTime == null ? null : lastPollDbTime.minus(LOOKBACK);
        String sql = "select now() as db_now, kind, value, floor(extract(epoch from expires_at))::bigint as exp"
                + " from (select 1) as clock left join revocations on expires_at > now()"
                + (since == null ? "" : " and created_at > $1");
        var query = pool.preparedQuery(sql);
        var rows = since == null ? query.execute() : query.execute(Tuple.of(since));
        return rows.invoke(this::apply)
                .onFailure().invoke(e -> LOG.debugf("Revocation poll failed: %s", e.getMessage()))
                .replaceWithVoid();
    }

    private void apply(RowSet<Row> rows) {
        for (Row row : rows) {
            lastPollDbTime = row.getOffsetDateTime("db_now");
            if (row.getString("kind") != null) {
                remember(row.getString("kind"), row.getString("value"), row.getLong("exp"));
            }
        }
        long now = System.currentTimeMillis() / 1000;
        revokedJtis.values().removeIf(exp -> exp < now);
        revokedClients.values().removeIf(exp -> exp < now);
        lastContactNanos = System.nanoTime();
    }
}
