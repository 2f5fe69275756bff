package io.storeman.security;

import io.smallrye.mutiny.Uni;
import io.storeman.common.StoremanConfig;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Sign-up limits per client address over a fixed window, with their state in PostgreSQL: every sign-up request that
 * would hash a password counts as an attempt (atomically, before the hash), every account created as a sign-up. Past
 * {@code sign-up-attempts} attempts or {@code sign-ups} sign-ups the address gets 429 until its window ends, without
 * hashing. A taken e-mail's 409 is one of the attempts, so an address learns whether at most that many e-mails are
 * registered per window.
 */
@ApplicationScoped
public class SignUpThrottle {

    private final Pool pool;
    private final StoremanConfig.Throttle settings;

    SignUpThrottle(Pool pool, StoremanConfig config) {
        this.pool = pool;
        this.settings = config.throttle();
    }

    /** Counts an attempt from an address: 0 when it may go on, else the seconds until the address may try again. */
    public Uni<Long> attempt(String address) {
        if (ClientAddress.UNKNOWN.key().equals(address)) {
            return Uni.createFrom().item(0L);
        }
        return pool.preparedQuery("""
                insert into sign_up_counts as s (address, window_end, attempts, sign_ups)
                values ($1, now() + make_interval(secs => $2), 1, 0)
                on conflict (address) do update set
                    window_end = case when s.window_end <= now() then excluded.window_end else s.window_end end,
                    attempts = case when s.window_end <= now() then 1 else s.attempts + 1 end,
                    sign_ups = case when s.window_end <= now() then 0 else s.sign_ups end
                returning attempts, sign_ups, ceil(extract(epoch from window_end - now()))::bigint as retry_after
                """)
                .execute(Tuple.of(address, (double) settings.signUpWindow().toSeconds()))
                .map(rows -> {
                    Row row = rows.iterator().next();
                    boolean allowed = row.getInteger("attempts") <= settings.signUpAttempts()
                            && row.getInteger("sign_ups") < settings.signUps();
                    return allowed ? 0L : Math.max(1L, row.getLong("retry_after"));
                });
    }

    /** Counts an account created from an address. */
    public Uni<Void> signedUp(String address) {
        return pool.preparedQuery("update sign_up_counts set sign_ups = sign_ups + 1 where address = $1")
                .execute(Tuple.of(address)).replaceWithVoid();
    }
}
