package io.storeman.security;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
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
import org.jboss.logging.Logger;

/**
 * Brute-force protection, with its state in PostgreSQL so every instance counts the same failures (RFC 6749 §4.3.2,
 * RFC 6819 §5.1.4.2.3).
 * <ul>
 * <li>Per account and client address: after {@code account-failures} failed passwords within the window, an attempt
 * from that address made sooner than a delay after its last failure (1 s, doubling up to {@code account-max-delay}) is
 * not evaluated and fails like a wrong password, with the same cost. A guesser slows only its own attempts.</li>
 * <li>Per account, from all addresses: after {@code account-wide-failures}, the same delay applies to every address
 * but those the account signed in from within {@code known-address-period}, so distributed guessing is slowed while
 * the owner, from an address of theirs, is not.</li>
 * <li>An attempt that is not evaluated is not counted, so hammering a throttled account never lengthens its delay. A
 * success forgets the failures of its address. Unknown accounts are counted the same way.</li>
 * <li>Per client address: after {@code address-failures} failed authentications within the window (throttled
 * attempts included), the address gets 429 at the authentication endpoints until the window ends. The block is
 * announced to every instance, so the check on each request is a lookup in a bounded cache; successful requests
 * never count.</li>
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
    /**
     * Blocked address -> end of its block, epoch seconds. Bounded: an attacker with many addresses (a /48 of IPv6
     * holds 65,536 counted ones) must not be able to fill the heap. An address dropped from it is put back by its next
     * failure.
     */
    private final Cache<String, Long> blocked;

    LoginThrottle(Pool pool, DatabaseNotifications notifications, StoremanConfig config) {
        this.pool = pool;
        this.notifications = notifications;
        this.settings = config.throttle();
        this.blocked = Caffeine.newBuilder()
                .maximumSize(settings.maxBlockedAddresses())
                .expireAfterWrite(settings.addressWindow())
                .build();
    }

    void onStart(@Observes StartupEvent event) {
        notifications.listen(CHANNEL, this::onNotification, () -> loadBlocked().subscribe().with(x -> { }, f -> { }));
        loadBlocked().await().atMost(Duration.ofSeconds(30));
    }

    /**
     * An account's throttle for one address: failures of the account from that address (a success clears them),
     * whether an attempt now must fail unchecked, and whether the address must be (re)remembered as the account's
     * after a success.
     */
    public record AccountState(long addressFailures, boolean throttled, boolean renewKnown) {
    }

    /**
     * A one-row query of what the throttle knows about account {@code $1} and client address {@code $3} within the
     * last {@code $2} seconds ({@link #accountWindowSeconds()}): the account's failures from every address and from
     * this one, seconds since the last of each, and seconds until the address stops being one the account signed in
     * from (null when it is not). The account lookup joins it, to learn the state without a round trip of its own.
     */
    public static final String ACCOUNT_STATE = """
            select count(*) as failures,
                extract(epoch from now() - max(created_at)) as since,
                count(*) filter (where address = $3) as address_failures,
                extract(epoch from now() - max(created_at) filter (where address = $3)) as address_since,
                (select extract(epoch from expires_at - now()) from known_addresses
                    where account = $1 and address = $3 and expires_at > now()) as known_for
            from account_failures where account = $1 and created_at > now() - make_interval(secs => $2)""";

    public double accountWindowSeconds() {
        return settings.accountWindow().toSeconds();
    }

    /** The state of an account for one address, from a row of {@link #ACCOUNT_STATE}. */
    public AccountState state(Row row) {
        long addressFailures = row.getLong("address_failures");
        Number knownFor = row.getNumeric("known_for");
        boolean throttled = delayed(addressFailures, row.getNumeric("address_since"), settings.accountFailures())
                || knownFor == null
                        && delayed(row.getLong("failures"), row.getNumeric("since"), settings.accountWideFailures());
        // Remembered again once a tenth of the period has gone by: not a write on every sign-in.
        boolean renewKnown = knownFor == null
                || knownFor.doubleValue() < 0.9 * settings.knownAddressPeriod().toSeconds();
        return new AccountState(addressFailures, throttled, renewKnown);
    }

    /** Whether {@code failures} (at least {@code limit}) still hold attempts back {@code since} seconds later. */
    private boolean delayed(long failures, Number since, int limit) {
        if (failures < limit) {
            return false;
        }
        long doublings = Math.min(failures - limit, 30);
        double delay = Math.min(1L << doublings, settings.accountMaxDelay().toSeconds());
        return since != null && since.doubleValue() < delay;
    }

    /**
     * Counts a failed password for an account from an address, unless {@code state} says the attempt was throttled:
     * the same statement either way, so that a throttled attempt costs what a counted one does.
     */
    public Uni<Void> accountFailed(String account, String address, AccountState state) {
        return pool.preparedQuery("insert into account_failures (account, address) select $1, $2 where not $3")
                .execute(Tuple.of(account, address, state.throttled())).replaceWithVoid();
    }

    /**
     * After a right password: forgets the account's failures from this address and remembers the address as the
     * account's, each only when there is something to do (most sign-ins write nothing).
     */
    public Uni<Void> accountSucceeded(String account, String address, AccountState state) {
        Uni<Void> forget = state.addressFailures() == 0
                ? Uni.createFrom().voidItem()
                : pool.preparedQuery("delete from account_failures where account = $1 and address = $2")
                        .execute(Tuple.of(account, address)).replaceWithVoid();
        if (!state.renewKnown()) {
            return forget;
        }
        return forget.chain(() -> pool.preparedQuery("""
                insert into known_addresses (account, address, expires_at)
                values ($1, $2, now() + make_interval(secs => $3))
                on conflict (account, address) do update set expires_at = excluded.expires_at
                """)
                .execute(Tuple.of(account, address, (double) settings.knownAddressPeriod().toSeconds()))
                .replaceWithVoid());
    }

    /** Whether no address is blocked (perhaps one that just stopped being): the common case, and the cheapest. */
    public boolean noAddressBlocked() {
        return blocked.estimatedSize() == 0;
    }

    /** Whether this address is blocked: a lookup in memory, no database round trip. */
    public boolean isAddressBlocked(String address) {
        Long until = blocked.getIfPresent(address);
        return until != null && until > System.currentTimeMillis() / 1000;
    }

    /** Seconds until the block of this address ends. */
    public long retryAfterSeconds(String address) {
        Long until = blocked.getIfPresent(address);
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
                    int failures = row.getInteger("failures");
                    if (failures < settings.addressFailures()) {
                        return Uni.createFrom().voidItem();
                    }
                    long until = row.getLong("until");
                    blocked.put(address, until);
                    if (failures > settings.addressFailures()) {
                        return Uni.createFrom().voidItem(); // announced already
                    }
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
                + " and window_start + make_interval(secs => $1) > now()"
                + " order by window_start desc limit $3")
                .execute(Tuple.of(window, settings.addressFailures(), settings.maxBlockedAddresses()))
                .invoke(rows -> rows.forEach(row -> blocked.put(row.getString("address"), row.getLong("until"))))
                .replaceWithVoid();
    }
}
