package io.storeman.oauth.token;

import io.smallrye.mutiny.Uni;
import io.storeman.common.StoremanConfig;
import io.storeman.oauth.OAuthError;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * How many new grants (token families) one user may receive within a fixed window, counted in PostgreSQL so that
 * every instance counts the same (docs/security.md R2). Each family can hold one entry on the revocation list, so this
 * rate, with the access-token lifetime, bounds what one account can make every instance remember. The window starts
 * at the first grant and is not moved by attempts over the limit, which are refused with 429 {@code slow_down} until
 * it ends. Rotations are not counted: they add nothing to the list.
 */
@ApplicationScoped
public class GrantQuota {

    /** $1 user, $2 window in seconds: the grants counted in the current window, and the seconds until it ends. */
    private static final String TAKE = """
            insert into grant_quotas as q (user_id, window_start, grants) values ($1, now(), 1)
            on conflict (user_id) do update set
                window_start = case when q.window_start <= now() - make_interval(secs => $2)
                                    then now() else q.window_start end,
                grants = case when q.window_start <= now() - make_interval(secs => $2)
                              then 1 else q.grants + 1 end
            returning grants, ceil(extract(epoch from window_start + make_interval(secs => $2) - now()))::bigint
                as retry_after
            """;

    private final Pool pool;
    private final StoremanConfig.OAuth settings;

    GrantQuota(Pool pool, StoremanConfig config) {
        this.pool = pool;
        this.settings = config.oauth();
    }

    /** Counts a new grant for the user, or fails with 429 {@code slow_down} when the window's quota is spent. */
    public Uni<Void> take(long userId) {
        return pool.preparedQuery(TAKE)
                .execute(Tuple.of(userId, (double) settings.grantsPerUserWindow().toSeconds()))
                .map(rows -> {
                    Row row = rows.iterator().next();
                    if (row.getInteger("grants") > settings.grantsPerUser()) {
                        throw OAuthError.SLOW_DOWN.exception("Too many new grants for this user. Retry later.")
                                .withRetryAfter(row.getLong("retry_after"));
                    }
                    return null;
                });
    }
}
