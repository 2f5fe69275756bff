package io.storeman.security;

import io.smallrye.mutiny.Uni;
import io.storeman.common.StoremanConfig;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;

/**
 * How many times one user may do something that makes every instance keep state, within a fixed window, counted in
 * PostgreSQL so that every instance counts the same (docs/security.md R2): new grants (each token family can hold one
 * entry on the revocation list), new applications (deleting one puts its client on the list) and user codes entered
 * on the device page (each a guess). The window starts
 * at the first use and is not moved by attempts over the limit, which keep failing until it ends.
 */
@ApplicationScoped
public class UserQuota {

    /** What is counted, with its limit and window. */
    public enum Kind {
        GRANT, APPLICATION,
        /** A user code entered on the device page (RFC 8628 §5.1: guessing must be rate-limited, G4). */
        DEVICE_CODE
    }

    /** The outcome of {@link #take}: allowed, or the seconds until the window ends. */
    public record Decision(boolean allowed, long retryAfterSeconds) {
    }

    /** $1 user, $2 kind, $3 window in seconds: the uses counted in the current window, and the seconds it has left. */
    private static final String TAKE = """
            insert into user_quotas as q (user_id, kind, window_start, used) values ($1, $2, now(), 1)
            on conflict (user_id, kind) do update set
                window_start = case when q.window_start <= now() - make_interval(secs => $3)
                                    then now() else q.window_start end,
                used = case when q.window_start <= now() - make_interval(secs => $3) then 1 else q.used + 1 end
            returning used, ceil(extract(epoch from window_start + make_interval(secs => $3) - now()))::bigint
                as retry_after
            """;

    private final Pool pool;
    private final StoremanConfig.OAuth settings;

    UserQuota(Pool pool, StoremanConfig config) {
        this.pool = pool;
        this.settings = config.oauth();
    }

    /** Counts one use of {@code kind} by the user, and says whether it was within the quota. */
    public Uni<Decision> take(long userId, Kind kind) {
        Duration window = switch (kind) {
            case GRANT -> settings.grantsPerUserWindow();
            case APPLICATION -> settings.applicationsPerUserWindow();
            case DEVICE_CODE -> settings.deviceCodeAttemptsPerUserWindow();
        };
        int limit = switch (kind) {
            case GRANT -> settings.grantsPerUser();
            case APPLICATION -> settings.applicationsPerUser();
            case DEVICE_CODE -> settings.deviceCodeAttemptsPerUser();
        };
        return pool.preparedQuery(TAKE)
                .execute(Tuple.of(userId, kind.name().toLowerCase(), (double) window.toSeconds()))
                .map(rows -> {
                    Row row = rows.iterator().next();
                    return new Decision(row.getInteger("used") <= limit, Math.max(1, row.getLong("retry_after")));
                });
    }
}
