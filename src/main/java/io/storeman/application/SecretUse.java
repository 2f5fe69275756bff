package io.storeman.application;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.jboss.logging.Logger;

/**
 * Records when each client secret was last used, at most once per {@link #GRANULARITY} per secret (D10): a busy
 * client makes thousands of token requests a minute, and a write for each would put the database on the hot path of
 * client authentication. A minute is the precision the pages show times in, so nothing finer would be seen, and an
 * owner retiring a secret learns within a minute whether clients still use it.
 * <p>
 * Each instance remembers which secrets it recorded within the last minute, so it sends at most one statement per
 * secret per minute; the statement changes the row only when no instance did within the minute, so however many
 * instances there are, the row is written at most once a minute. The write runs beside the token request, never in
 * its way: a failure is only logged, and the next use after the minute tries again.
 */
@ApplicationScoped
public class SecretUse {

    public static final Duration GRANULARITY = Duration.ofMinutes(1);
    private static final Logger LOG = Logger.getLogger(SecretUse.class);

    private final Pool pool;
    private final Cache<Long, Boolean> recorded = Caffeine.newBuilder()
            .maximumSize(100_000)
            .expireAfterWrite(GRANULARITY)
            .build();

    SecretUse(Pool pool) {
        this.pool = pool;
    }

    /** The secret {@code secretId} has just authenticated a client. */
    public void used(long secretId) {
        if (recorded.asMap().putIfAbsent(secretId, Boolean.TRUE) != null) {
            return;
        }
        OffsetDateTime now = Instant.now().atOffset(ZoneOffset.UTC);
        pool.preparedQuery("update client_secrets set last_used_at = $2 where id = $1"
                + " and (last_used_at is null or last_used_at < $3)")
                .execute(Tuple.of(secretId, now, now.minus(GRANULARITY)))
                .subscribe().with(done -> {
                }, failure -> LOG.debugf("Last use of client secret %d not recorded: %s", secretId,
                        failure.getMessage()));
    }
}
