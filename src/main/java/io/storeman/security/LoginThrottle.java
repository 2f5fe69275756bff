package io.storeman.security;

import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.storeman.common.DatabaseNotifications;
import io.storeman.common.StoremanConfig;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Brute-force protection, with its state in PostgreSQL so every instance counts the same failures (RFC 6749 §4.3.2,
 * RFC 6819 §5.1.4.2.3).
 * <ul>
 * <li>Per account: after {@code account-failures} failed passwords within the window, an attempt made sooner than a
 * delay after the last failure (1 s, doubling up to {@code account-max-delay}) is not evaluated and fails like a wrong
 * password, with the same cost; a success clears the count. Unknown accounts are counted the same way.</li>
 * <li>Per client address: after {@code address-failures} failed authentications within the window, the address gets
 * 429 at the authentication endpoints until the window ends. The block is announced to every instance, so the check
 * on each request is a map lookup; successful requests never count.</li>
 * </ul>
 * Every failure is one inserted row or one atomic upsert, so concurrent guesses are each counted.
 */
@ApplicationScoped
public class LoginThrottle {

    static final String CHANNEL = "storeman_blocked_addresses";
    private static final Logger LOG = Logger.getLogger(LoginThrottle.class);

    private final Pool pool;
    private final DatabaseNotifications notifications;
    private final StoremanConfig.Throttle settings;
    /** Blocked address -> end of its block, epoch seconds. */
    private final Map<String, Long> blocked = new ConcurrentHashMap<>();

    LoginThrottle(Pool pool, DatabaseNotifications notifications, StoremanConfig config) {
        this.pool = pool;
        this.notifications = notifications;
        this.settings = config.throttle();
    }

    void onStart(@Observes StartupEvent event) {
        notifications.listen(CHANNEL, this::onNotification, () -> loadBlocked().subscribe().with(x -> { }, f -> { }));
        loadBlocked().await().atMost(Duration.ofSeconds(30));
    }

    /** Recent failures of an account, and whether an attempt now must fail unchecked. */
    public record AccountState(long failures, boolean throttled) {
    }

    /**
     * A one-row query of the recent failures of account {@code $1} within {@code $2} seconds (columns
     * {@code failures} and {@code since}), for {@link #state(Row)}; {@link #accountWindowSeconds()} gives $2. The
     * account lookup joins it, to learn the state without a round trip of its own.
     */
    public static final String RECENT_FAILURES = "select count(*) as failures,"
            + " extract(epoch from now() - max(created_at)) as since"
            + " from account_failures where account = $1 and created_at > now() - make_interval(secs => $2)";

    public double accountWindowSeconds() {
        return settings.accountWindow().toSeconds();
    }

    /** The state of an account from a row of {@link #RECENT_FAILURES}. */
    public AccountState state(Row row) {
        long failures = row.getLong("failures");
        if (failures < settings.accountFailures()) {
            return new AccountState(failures, false);
        }
        long doublings = Math.min(failures - settings.accountFailures(), 30);
        double delay = Math.min(1L << doublings, settings.accountMaxDelay().toSeconds());
        Number since = row.getNumeric("since");
        return new AccountState(failures, since != null && since.doubleValue() < delay);
    }

    public Uni<Void> accountFailed(String account) {
        return pool.preparedQuery("insert into account_failures (account) values ($1)")
                .execute(Tuple.of(account)).replaceWithVoid();
    }

    public Uni<Void> accountSucceeded(String account) {
        return pool.preparedQuery("delete from account_failures where account = $1")
                .execute(Tuple.of(account)).replaceWithVoid();
    }

    /** Whether this address is blocked: a lookup in memory, no database round trip. */
    public boolean isAddressBlocked(String address) {
        Long until = blocked.get(address);
        if (until == null) {
            return false;
        }
        if (until <= System.currentTimeMillis() / 1000) {
            blocked.remove(address, until);
            return false;
        }
        return true;
    }

    /** Seconds until the block of this address ends. */
    public long retryAfterSeconds(String address) {
        Long until = blocked.get(address);
        return until == null ? 1 : Math.max(1, until - System.currentTimeMillis() / 1000);
    }

    /** Counts a failed authentication from an address, blocking it everywhere once over the limit. */
    public Uni<Void> addressFailed(String address) {
        if (address == null || address.isEmpty() || "-".equals(address)) {
            return Uni.createFrom().voidItem();
        }
        double window = settings.addressWindow().toSeconds();
        return pool.preparedQuery("""
                insert into address_failures as f (address, window_start, failures) values ($1, now(), 1)
                on conflict (address) do update set
                    window_start = case when f.window_start < now() - make_interval(secs => $2)
                                        then now() else f.window_start end,
                    failures = case when f.window_start < now() - make_interval(secs => $2)
                                    then 1 else f.failures + 1 end
                returning failures,
                    floor(extract(epoch from window_start + make_interval(secs => $2)))::bigint as until
                """)
                .execute(Tuple.of(address, window))
                .chain(rows -> {
                    Row row = rows.iterator().next();
                    if (row.getInteger("failures") != settings.addressFailures()) {
                        return Uni.createFrom().voidItem();
                    }
                    long until = row.getLong("until");
                    blocked.put(address, until);
                    LOG.warnf("Address %s blocked after %d failed authentications", address,
                            settings.addressFailures());
                    return pool.preparedQuery("select pg_notify($1, $2)")
                            .execute(Tuple.of(CHANNEL, address + " " + until)).replaceWithVoid();
                });
    }

    private void onNotification(String payload) {
        int space = payload.lastIndexOf(' ');
        if (space > 0) {
            blocked.put(payload.substring(0, space), Long.parseLong(payload.substring(space + 1)));
        }
    }

    private Uni<Void> loadBlocked() {
        double window = settings.addressWindow().toSeconds();
        return pool.preparedQuery("select address,"
                + " floor(extract(epoch from window_start + make_interval(secs => $1)))::bigint as until"
                + " from address_failures where failures >= $2"
                + " and window_start + make_interval(secs => $1) > now()")
                .execute(Tuple.of(window, settings.addressFailures()))
                .invoke(rows -> rows.forEach(row -> blocked.put(row.getString("address"), row.getLong("until"))))
                .replaceWithVoid();
    }
}
