package io.storeman.support;

import io.vertx.mutiny.sqlclient.Pool;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Row counts of every table that holds state a request could change: taken before and after a hostile request, they
 * show that nothing changed that should not have.
 */
public final class StateSnapshot {

    private static final List<String> TABLES = List.of("users", "oauth_applications", "client_secrets",
            "refresh_tokens", "revocations", "signing_keys", "authorization_codes", "oauth_consents", "web_sessions",
            "web_form_submissions", "spaces", "items");
    /** Fingerprints of the rows a request could change in place (a password, a secret, a consent's scopes). */
    private static final Map<String, String> FINGERPRINTS = Map.of(
            "users (passwords)", "select coalesce(hashtext(string_agg(id || ':' || password_hash, ',' order by id)),"
                    + " 0)::bigint from users",
            "oauth_applications (settings and secrets)", "select coalesce(hashtext(string_agg(id || ':' || name"
                    + " || ':' || scopes || ':' || coalesce(redirect_uri, '') || ':' || coalesce(secret_hash, ''),"
                    + " ',' order by id)), 0)::bigint from oauth_applications",
            "client_secrets (secrets)", "select coalesce(hashtext(string_agg(id || ':' || application_id || ':'"
                    + " || secret_hash, ',' order by id)), 0)::bigint from client_secrets",
            "oauth_consents (scopes)", "select coalesce(hashtext(string_agg(id || ':' || scope, ',' order by id)),"
                    + " 0)::bigint from oauth_consents");

    private StateSnapshot() {
    }

    /** Table -> row count, fingerprints of changeable rows, used or revoked refresh tokens, spaces and items. */
    public static Map<String, Long> take(Pool pool) {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (String table : TABLES) {
            counts.put(table, count(pool, "select count(*) from " + table));
        }
        FINGERPRINTS.forEach((name, sql) -> counts.put(name, count(pool, sql)));
        counts.put("refresh_tokens (used or revoked)",
                count(pool, "select count(*) from refresh_tokens where used_at is not null or revoked_at is not null"));
        // Updates keep the row count: a checksum of the fields a client can change shows them.
        counts.put("spaces (content checksum)", count(pool, "select coalesce(sum(hashtext(name || '/'"
                + " || coalesce(description, ''))::bigint), 0) from spaces"));
        counts.put("items (content checksum)", count(pool, "select coalesce(sum(hashtext(name || '/'"
                + " || coalesce(description, '') || '/' || quantity)::bigint), 0) from items"));
        return counts;
    }

    private static long count(Pool pool, String sql) {
        return pool.query(sql).execute()
                .map(rows -> rows.iterator().next().getLong(0))
                .await().atMost(Duration.ofSeconds(10));
    }
}
