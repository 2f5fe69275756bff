package io.storeman.oauth.revoke;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import io.storeman.common.StoremanConfig;
import io.storeman.oauth.token.AccessToken;
import io.storeman.oauth.token.AccessTokenVerifier;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Writes to the revocation list. The list holds one entry per token family, per user, per client, or per user and
 * client, never one per access token (docs/security.md R1): a family's entry names the lowest generation still
 * valid; the others are cut-offs, revoking every token issued before a second. Each change is one set-based SQL
 * statement (idempotent, safe under concurrency on any number of instances); the entries are remembered locally at
 * once and reach the other instances through {@link RevocationList}. An entry lives as long as any instance could
 * still accept a token it refuses: the token's expiry plus the verifier's clock skew.
 * <p>
 * Every revocation that ends refresh tokens first takes their user's grant lock exclusively, and only then, in a
 * statement of its own (a new snapshot under READ COMMITTED), marks them revoked; a rotation holds the same lock
 * shared while it stores a successor (docs/security.md R4). So a rotation either commits before the revocation reads
 * the family, and its successor is revoked with the rest, or waits and then finds its token revoked.
 */
@ApplicationScoped
public class Revocations {

    static final String KIND_FAMILY = "family";
    static final String KIND_USER = "user";
    static final String KIND_CLIENT = "client";
    static final String KIND_GRANT = "grant";
    static final String KIND_ALL = "all";
    /** The bound of a family entry that revokes every generation. */
    static final long WHOLE_FAMILY = Integer.MAX_VALUE;

    private static final String UPSERT = """
            insert into revocations as r (kind, value, bound, expires_at) %s
            on conflict (kind, value) do update set bound = greatest(r.bound, excluded.bound),
                expires_at = greatest(r.expires_at, excluded.expires_at), txid = pg_current_xact_id()
            returning kind, value, bound, floor(extract(epoch from expires_at))::bigint as expires
            """;

    /**
     * Marks the refresh tokens matching %s revoked, in front of an {@link #UPSERT} that reads {@code revoked}: a
     * statement that does not read its data-modifying WITH may run it after the upsert, and two revocations of one
     * family taking the entry's lock and the refresh tokens' locks in opposite orders deadlock. Every statement here
     * locks the refresh tokens first, then the entry, as a rotation does.
     */
    private static final String REVOKE_REFRESH_TOKENS = """
            with revoked as (
                update refresh_tokens set revoked_at = now() where %s and revoked_at is null returning 1
            )
            """;

    /** The first key of every grant lock (R4): "RV04"; the second is the user's id folded into 31 bits. */
    private static final int GRANT_LOCK = 0x52563034;

    /**
     * Takes the grant locks of the users that {@code users} selects (one column), each once: in front of the
     * statement that revokes their refresh tokens, which must start after the lock is granted.
     */
    private static final String LOCK_GRANTS = """
            select count(*) from (select pg_advisory_xact_lock(%d, (user_id & 2147483647)::int)
                from (select distinct user_id from (%%s) as selected (user_id)) as users) as locked
            """.formatted(GRANT_LOCK);

    private final RevocationList list;
    private final StoremanConfig config;

    Revocations(RevocationList list, StoremanConfig config) {
        this.list = list;
        this.config = config;
    }

    /**
     * Revokes one access token (D4: its refresh token keeps working). A user's token: its family's generations up to
     * the token's. A client's own token: the client's own tokens issued up to the same second (RFC 7009 §2.1 lets a
     * revocation take related tokens with it), so that revoking client tokens one by one adds one entry per client.
     */
    @WithTransaction
    public Uni<Void> revokeAccessToken(AccessToken token) {
        long until = token.expiresAt() + AccessTokenVerifier.CLOCK_SKEW_SECONDS;
        if (token.family() != null) {
            return upsert(KIND_FAMILY, token.family().toString(), token.generation() + 1L, until);
        }
        return upsert(KIND_GRANT, grantKey(token.subject(), token.clientId()), token.issuedAt() + 1, until);
    }

    /** Revokes every token of a client (the application is deleted). */
    @WithTransaction
    public Uni<Void> revokeClient(String clientId) {
        return upsert(KIND_CLIENT, clientId, cutoffNow(), cutoffExpiry());
    }

    /**
     * Revokes every refresh token of a family and every access token issued with them, and any the family may still
     * issue: the entry outlives the family's newest access token, and an access token's lifetime from now.
     */
    @WithTransaction
    public Uni<Void> revokeFamily(UUID familyId) {
        // A family with no live refresh token left cannot rotate: the revocations that lose a race over one reuse
        // find it revoked already, and do not queue for the lock holding a connection each.
        Uni<Void> locked = lockGrants("select user_id from refresh_tokens where family_id = :family"
                + " and revoked_at is null limit 1", Map.of("family", familyId));
        return locked.chain(() -> execute(REVOKE_REFRESH_TOKENS.formatted("family_id = :family") + UPSERT.formatted("""
                select 'family', :value, :bound, greatest(max(access_expires_at), to_timestamp(:until))
                    + make_interval(secs => :skew)
                from refresh_tokens where family_id = :family and (select count(*) from revoked) >= 0
                """), Map.of("family", familyId, "value", familyId.toString(), "bound", WHOLE_FAMILY,
                "until", cutoffExpiry() - AccessTokenVerifier.CLOCK_SKEW_SECONDS,
                "skew", AccessTokenVerifier.CLOCK_SKEW_SECONDS)));
    }

    /** Revokes every refresh and access token a user holds (password change). */
    @WithTransaction
    public Uni<Void> revokeUser(long userId) {
        return lockGrants(userId).chain(() -> revokeUpToNow("user_id = :user", Map.of("user", userId), KIND_USER,
                Long.toString(userId)));
    }

    /** Revokes the tokens one application holds for one user ("Authorized applications" > Revoke). */
    @WithTransaction
    public Uni<Void> revokeUserApplication(long userId, long applicationId, String clientId) {
        return lockGrants(userId).chain(() -> revokeUpToNow("user_id = :user and application_id = :application",
                Map.of("user", userId, "application", applicationId), KIND_GRANT,
                grantKey(Long.toString(userId), clientId)));
    }

    /**
     * The condition a rotation adds to its statement (R4): it holds the grant lock of the user {@code userId} (a SQL
     * expression) shared, so no revocation of that user's tokens can read them between its snapshot and its commit.
     */
    public static String grantLockShared(String userId) {
        return "pg_advisory_xact_lock_shared(%d, (%s & 2147483647)::int)".formatted(GRANT_LOCK, userId);
    }

    /** Takes note of a rotation that retired the family's generations below {@code generation} (its own statement). */
    public void generationRetired(UUID family, int generation, long untilEpochSecond) {
        list.revoked(KIND_FAMILY, family.toString(), generation, untilEpochSecond);
    }

    /** The key of a cut-off for one subject (a user id, or a client for itself) at one client. */
    public static String grantKey(String subject, String clientId) {
        return subject + " " + clientId;
    }

    /**
     * Marks the refresh tokens matching {@code condition} revoked, and revokes the access tokens issued with them: a
     * cut-off of {@code kind} for those issued before this second, and their family entries for those issued within
     * it ({@code iat} has whole seconds, and a token issued in this second after the revocation, as when the user
     * signs in again at once, must keep working).
     */
    private Uni<Void> revokeUpToNow(String condition, Map<String, Object> parameters, String kind, String value) {
        long second = Instant.now().getEpochSecond();
        Map<String, Object> all = new HashMap<>(parameters);
        all.putAll(Map.of("kind", kind, "value", value, "bound", second, "whole", WHOLE_FAMILY,
                "skew", AccessTokenVerifier.CLOCK_SKEW_SECONDS, "until", second + accessTokenSeconds()));
        return execute("""
                with revoked as (
                    update refresh_tokens set revoked_at = now() where %s and revoked_at is null
                    returning family_id, created_at, access_expires_at
                ), this_second as (
                    %s
                ), cutoff as (
                    %s
                )
                select * from this_second union all select * from cutoff
                """.formatted(condition, UPSERT.formatted("""
                select 'family', family_id::text, :whole, max(access_expires_at) + make_interval(secs => :skew)
                from revoked where created_at >= to_timestamp(:bound) group by family_id
                """), UPSERT.formatted("""
                select :kind, :value, :bound, to_timestamp(:until) where (select count(*) from revoked) >= 0
                """)), all);
    }

    /**
     * A cut-off set now, where no token can be issued after it (the client is gone), covers this very second too
     * (the bound is exclusive, and {@code iat} has whole seconds).
     */
    private static long cutoffNow() {
        return Instant.now().getEpochSecond() + 1;
    }

    private long accessTokenSeconds() {
        return config.accessTokenTtl().toSeconds() + AccessTokenVerifier.CLOCK_SKEW_SECONDS + 1;
    }

    /** When a cut-off set now can go: every token issued before it has expired, clock skew included. */
    private long cutoffExpiry() {
        return Instant.now().getEpochSecond() + accessTokenSeconds();
    }

    /** One entry: {@code kind} and {@code value}, merged with the entry already there. */
    private Uni<Void> upsert(String kind, String value, long bound, long untilEpochSecond) {
        return execute(UPSERT.formatted("values (:kind, :value, :bound, to_timestamp(:until))"),
                Map.of("kind", kind, "value", value, "bound", bound, "until", untilEpochSecond));
    }

    private static Uni<Void> lockGrants(long userId) {
        return lockGrants("select cast(:user as bigint)", Map.of("user", userId));
    }

    private static Uni<Void> lockGrants(String users, Map<String, Object> parameters) {
        return Panache.getSession()
                .chain(session -> {
                    var query = session.createNativeQuery(LOCK_GRANTS.formatted(users), Long.class);
                    parameters.forEach(query::setParameter);
                    return query.getSingleResult();
                })
                .replaceWithVoid();
    }

    private Uni<Void> execute(String sql, Map<String, Object> parameters) {
        return Panache.getSession()
                .chain(session -> {
                    var query = session.createNativeQuery(sql, Object[].class);
                    parameters.forEach(query::setParameter);
                    return query.getResultList();
                })
                .invoke(this::rememberLocally)
                .replaceWithVoid();
    }

    private void rememberLocally(List<Object[]> rows) {
        rows.forEach(row -> list.revoked((String) row[0], (String) row[1], ((Number) row[2]).longValue(),
                ((Number) row[3]).longValue()));
    }
}
