package io.storeman.oauth.revoke;

import io.micrometer.core.instrument.Gauge;
import io.quarkus.runtime.ShutdownEvent;
import io.storeman.oauth.OAuthMetrics;
import io.quarkus.runtime.StartupEvent;
import io.storeman.common.DatabaseNotifications;
import io.storeman.common.StoremanConfig;
import io.storeman.oauth.token.AccessToken;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * This instance's copy of the revocation list, consulted on every API call without touching the database.
 * <ul>
 * <li>It loads every unexpired entry at start, then polls every poll interval for the entries of every transaction
 * that had not finished by the previous poll (by transaction id, see {@code V6__notify_after_commit.sql}), which
 * also proves the instance is in touch with the database. An instance out of touch for longer than the allowed
 * staleness is not current, and the API then answers 503 (docs/security.md D8).</li>
 * <li>An instance that revokes remembers the entry at once, and wakes the others with a NOTIFY on
 * {@code storeman_revocations}, sent outside any transaction and coalesced to one per {@link #WAKE_SPACING_MS}
 * however many revocations it makes; a woken instance polls at once. A lost wake-up only delays an entry until the
 * next poll.</li>
 * </ul>
 */
@ApplicationScoped
public class RevocationList {

    static final String CHANNEL = "storeman_revocations";
    private static final Logger LOG = Logger.getLogger(RevocationList.class);
    /** At most one wake-up per this many milliseconds from each instance. */
    static final long WAKE_SPACING_MS = 10;

    private final RevokedFamilies families = new RevokedFamilies();
    /** Cut-offs by kind: tokens issued before the bound are revoked. Few: one per account or client affected. */
    private final Map<String, Cutoff> userCutoffs = new ConcurrentHashMap<>();
    private final Map<String, Cutoff> clientCutoffs = new ConcurrentHashMap<>();
    private final Map<String, Cutoff> grantCutoffs = new ConcurrentHashMap<>();
    private volatile Cutoff allCutoff = new Cutoff(0, 0);
    private final RevocationStore store;
    private final Vertx vertx;
    private final StoremanConfig.Revocation settings;
    /** This instance's name in its wake-ups, so that it does not poll for what it already knows. */
    private final String instance = UUID.randomUUID().toString();
    private volatile long lastContactNanos = System.nanoTime() - Duration.ofDays(1).toNanos();
    /** The xmin of the previous poll's snapshot: every transaction from it on may have committed since. */
    private volatile Long pollFromTxid;
    private final AtomicBoolean polling = new AtomicBoolean();
    private final AtomicBoolean pollAgain = new AtomicBoolean();
    private final AtomicBoolean wakeScheduled = new AtomicBoolean();
    private final DatabaseNotifications notifications;
    private long timerId = -1;

    RevocationList(RevocationStore store, Vertx vertx, StoremanConfig config, OAuthMetrics metrics,
            DatabaseNotifications notifications) {
        this.store = store;
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
        notifications.listen(CHANNEL, this::onWakeUp, this::pollSoon);
        timerId = vertx.setPeriodic(settings.pollInterval().toMillis(), id -> pollSoon());
    }

    void onStop(@Observes ShutdownEvent event) {
        if (timerId >= 0) {
            vertx.cancelTimer(timerId);
        }
    }

    /** A cut-off: tokens issued before {@code bound} are revoked, until {@code expires} (epoch seconds). */
    private record Cutoff(long bound, long expires) {

        boolean refuses(long issuedAt, long now) {
            return issuedAt < bound && expires >= now;
        }

        Cutoff merge(Cutoff other) {
            return new Cutoff(Math.max(bound, other.bound), Math.max(expires, other.expires));
        }
    }

    /**
     * Whether the token is revoked: its family's generation is retired, or a cut-off for its user, its client, its
     * user and client, or everyone was set after it was issued (docs/security.md R1).
     */
    public boolean isRevoked(AccessToken token) {
        long now = System.currentTimeMillis() / 1000;
        if (token.family() != null && token.generation() < families.validFrom(token.family(), now)) {
            return true;
        }
        long issuedAt = token.issuedAt();
        return allCutoff.refuses(issuedAt, now)
                || refuses(userCutoffs, token.subject(), issuedAt, now)
                || refuses(clientCutoffs, token.clientId(), issuedAt, now)
                || !grantCutoffs.isEmpty() && refuses(grantCutoffs,
                        RevocationStore.grantKey(token.subject(), token.clientId()), issuedAt, now);
    }

    private static boolean refuses(Map<String, Cutoff> cutoffs, String key, long issuedAt, long now) {
        Cutoff cutoff = cutoffs.isEmpty() ? null : cutoffs.get(key);
        return cutoff != null && cutoff.refuses(issuedAt, now);
    }

    /** Whether this instance has heard from the database recently enough to vouch for tokens. */
    public boolean isCurrent() {
        return System.nanoTime() - lastContactNanos < settings.maxStaleness().toNanos();
    }

    public int size() {
        return families.size() + userCutoffs.size() + clientCutoffs.size() + grantCutoffs.size();
    }

    /**
     * Adds an entry this instance has just written, and wakes the other instances soon. Called as soon as the entry
     * is written, even before its transaction commits: if that then rolls back, the entry stays on this instance
     * until it expires, which errs on the side of refusing a token.
     */
    void revoked(String kind, String value, long bound, long expiresAtEpochSecond) {
        remember(kind, value, bound, expiresAtEpochSecond);
        if (wakeScheduled.compareAndSet(false, true)) {
            vertx.setTimer(WAKE_SPACING_MS, id -> store.notify(CHANNEL, instance)
                    .onTermination().invoke(() -> wakeScheduled.set(false))
                    .subscribe().with(x -> { }, e -> LOG.debugf("Revocation wake-up failed: %s", e.getMessage())));
        }
    }

    /** Takes an entry of the list (a row of the table: see V9__revocation_families.sql) into this instance's copy. */
    void remember(String kind, String value, long bound, long expiresAtEpochSecond) {
        Cutoff cutoff = new Cutoff(bound, expiresAtEpochSecond);
        switch (kind) {
            case RevocationStore.KIND_FAMILY -> families.add(UUID.fromString(value),
                    (int) Math.min(bound, Integer.MAX_VALUE), expiresAtEpochSecond);
            case RevocationStore.KIND_USER -> userCutoffs.merge(value, cutoff, Cutoff::merge);
            case RevocationStore.KIND_CLIENT -> clientCutoffs.merge(value, cutoff, Cutoff::merge);
            case RevocationStore.KIND_GRANT -> grantCutoffs.merge(value, cutoff, Cutoff::merge);
            case RevocationStore.KIND_ALL -> allCutoff = allCutoff.merge(cutoff);
            default -> LOG.warnf("Revocation of unknown kind %s ignored", kind);
        }
    }

    private void onWakeUp(String sender) {
        if (!instance.equals(sender)) {
            pollSoon();
        }
    }

    /** Polls now, or right after the poll in flight if there is one (whose snapshot may predate the news). */
    private void pollSoon() {
        if (!polling.compareAndSet(false, true)) {
            pollAgain.set(true);
            return;
        }
        pollAgain.set(false);
        poll().onTermination().invoke(() -> {
            polling.set(false);
            if (pollAgain.get()) {
                pollSoon();
            }
        }).subscribe().with(x -> { }, e -> { });
    }

    /**
     * Reads the entries of every transaction unfinished at the previous poll (all unexpired ones on the first), a
     * page at a time when they are many ({@link RevocationStore#readSince}).
     */
    Uni<Void> poll() {
        return store.readSince(pollFromTxid, this::remember)
                .invoke(this::finishPoll)
                .onFailure().invoke(e -> LOG.debugf("Revocation poll failed: %s", e.getMessage()))
                .replaceWithVoid();
    }

    /** Takes an entry read from the database into this instance's copy. */
    private void remember(RevocationStore.Entry entry) {
        remember(entry.kind(), entry.value(), entry.bound(), entry.expires());
    }

    private void finishPoll(Long xmin) {
        long now = System.currentTimeMillis() / 1000;
        families.removeExpired(now);
        for (Map<String, Cutoff> cutoffs : List.of(userCutoffs, clientCutoffs, grantCutoffs)) {
            cutoffs.values().removeIf(cutoff -> cutoff.expires() < now);
        }
        pollFromTxid = xmin;
        lastContactNanos = System.nanoTime();
    }
}
