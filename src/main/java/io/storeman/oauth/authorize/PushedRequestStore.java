package io.storeman.oauth.authorize;

import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The table of pushed authorization requests (RFC 9126; docs/security.md Q1-Q5), written only here. Each operation is
 * one statement, so that the bound on pending requests, the start of the interaction lifetime and the one-time use
 * hold across instances without a lock: the push is a conditional insert, the first arrival a conditional update, the
 * use a delete that only one caller can win.
 */
@ApplicationScoped
public class PushedRequestStore {

    private final Pool pool;

    PushedRequestStore(Pool pool) {
        this.pool = pool;
    }

    /**
     * Stores a request for {@code ttl} unless the application already has {@code perClient} pending requests, or
     * {@code perAddress} pushed from {@code address} (Q5). Answers whether it was stored. Concurrent pushes may each
     * see the count below the bound, so it can be passed by as many requests as arrive at once, no more.
     */
    Uni<Boolean> push(String referenceHash, long applicationId, String address, Map<String, String> parameters,
            Duration ttl, int perClient, int perAddress) {
        return pool.preparedQuery("""
                insert into pushed_authorization_requests
                    (reference_hash, application_id, address, parameters, expires_at)
                select $1, $2, $3, $4, now() + make_interval(secs => $5)
                where (select count(*) from pushed_authorization_requests
                       where application_id = $2 and expires_at > now()) < $6
                  and (select count(*) from pushed_authorization_requests
                       where application_id = $2 and address = $3 and expires_at > now()) < $7
                """)
                .execute(Tuple.tuple().addString(referenceHash).addLong(applicationId).addString(address)
                        .addValue(new JsonObject(new LinkedHashMap<>(parameters)))
                        .addDouble((double) ttl.toMillis() / 1000).addInteger(perClient).addInteger(perAddress))
                .map(rows -> rows.rowCount() == 1);
    }

    /** A live pushed request: its parameters, and when a browser first arrived with it. */
    record Stored(Map<String, String> parameters, Instant startedAt) {
    }

    /**
     * The live request {@code referenceHash} pushed by the application, or null. The first arrival of a browser, at
     * {@code now} (this instance's clock, the one sessions are dated by), starts the interaction lifetime: from then
     * on the request expires {@code interaction} after that arrival, however often the page is reloaded (Q3).
     */
    Uni<Stored> start(String referenceHash, long applicationId, Instant now, Duration interaction) {
        return pool.preparedQuery("""
                update pushed_authorization_requests
                set started_at = coalesce(started_at, $3),
                    expires_at = coalesce(started_at, $3) + make_interval(secs => $4)
                where reference_hash = $1 and application_id = $2 and expires_at > now()
                returning parameters, started_at
                """)
                .execute(Tuple.of(referenceHash, applicationId, now.atOffset(ZoneOffset.UTC),
                        (double) interaction.toMillis() / 1000))
                .map(PushedRequestStore::stored);
    }

    /** Uses a live request up (Q2): true for exactly one of any number of concurrent callers, on any instance. */
    Uni<Boolean> take(String referenceHash, long applicationId) {
        return pool.preparedQuery("""
                delete from pushed_authorization_requests
                where reference_hash = $1 and application_id = $2 and expires_at > now()
                """)
                .execute(Tuple.of(referenceHash, applicationId))
                .map(rows -> rows.rowCount() == 1);
    }

    private static Stored stored(RowSet<Row> rows) {
        if (rows.rowCount() == 0) {
            return null;
        }
        Row row = rows.iterator().next();
        Map<String, String> parameters = new LinkedHashMap<>();
        row.getJsonObject("parameters").forEach(entry -> parameters.put(entry.getKey(),
                String.valueOf(entry.getValue())));
        return new Stored(parameters, row.getOffsetDateTime("started_at").toInstant());
    }
}
