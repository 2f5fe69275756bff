package io.storeman.oauth.token;

import io.smallrye.mutiny.Uni;
import io.storeman.oauth.Scopes;
import io.storeman.oauth.token.TokenIssuer.NewTokens;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowIterator;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.UUID;

/**
 * The one place that adds rows to {@code refresh_tokens}: a new grant's first token (one statement on the pool, or
 * an entity inside the caller's transaction), and a rotation's successor (one statement that also retires its
 * predecessor, docs/security.md D2). It also owns the users' grant locks (R4), which a rotation holds shared and a
 * revocation of refresh tokens takes exclusively. Reads of the table go through {@link RefreshTokenRepository}.
 */
@ApplicationScoped
public class RefreshTokenStore {

    private static final String INSERT = "insert into refresh_tokens (token_hash, family_id,"
            + " application_id, user_id, scope, access_jti, access_expires_at, created_at, expires_at, dpop_jkt)"
            + " values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)";

    /** The first key of every grant lock (R4): "RV04"; the second is the user's id folded into 31 bits. */
    private static final int GRANT_LOCK = 0x52563034;

    /**
     * $1 token hash, $2 application id, $3 the requested scopes (null: the granted ones, which must then lie within
     * $4, the client's scopes), $5..$9 the successor, $10 the thumbprint of the DPoP proof's key (null without a
     * proof), which must be the token's when the token is bound, $11 the key the successor is bound to (B5). The family's entry on the revocation list moves up to the
     * successor's generation (one entry per family, however often it rotates: docs/security.md R1), and lives until
     * the retired access token could no longer be accepted. The grant lock is taken before the token's row, and a
     * revocation that committed meanwhile shows in that row when the update re-reads it.
     */
    private static final String ROTATE = """
            with locked as (
                select %s from refresh_tokens where token_hash = $1
            ), used as (
                update refresh_tokens set used_at = now()
                where token_hash = $1 and application_id = $2 and (select count(*) from locked) > 0
                    and used_at is null and revoked_at is null and expires_at > now()
                    and (dpop_jkt is null or dpop_jkt = $10)
                    and case when $3::text[] is null then string_to_array(scope, ' ') <@ $4::text[]
                             else string_to_array(scope, ' ') @> $3::text[] end
                returning family_id, user_id, scope, auth_time, generation + 1 as generation,
                    access_expires_at + make_interval(secs => %d) as retired_until
            ), retired as (
                insert into revocations as r (kind, value, bound, expires_at)
                select 'family', family_id::text, generation, retired_until from used where retired_until > now()
                on conflict (kind, value) do update set bound = greatest(r.bound, excluded.bound),
                    expires_at = greatest(r.expires_at, excluded.expires_at), txid = pg_current_xact_id()
            ), successor as (
                insert into refresh_tokens (token_hash, family_id, application_id, user_id, scope, access_jti,
                    access_expires_at, created_at, expires_at, generation, auth_time, dpop_jkt)
                select $5, family_id, $2, user_id, scope, $6, $7, $8, $9, generation, auth_time, $11 from used
            )
            select user_id, scope, family_id, generation, auth_time,
                floor(extract(epoch from retired_until))::bigint as retired_until
            from used
            """.formatted(grantLockShared("user_id"), AccessTokenVerifier.CLOCK_SKEW_SECONDS);

    /**
     * Takes the grant locks of the users that {@code %s} selects (one column), each once: in front of the statement
     * that revokes their refresh tokens, which must start after the lock is granted.
     */
    private static final String LOCK_GRANTS = """
            select count(*) from (select pg_advisory_xact_lock(%d, (user_id & 2147483647)::int)
                from (select distinct user_id from (%%s) as selected (user_id)) as users) as locked
            """.formatted(GRANT_LOCK);

    private final Pool pool;
    private final RefreshTokenRepository refreshTokens;

    RefreshTokenStore(Pool pool, RefreshTokenRepository refreshTokens) {
        this.pool = pool;
        this.refreshTokens = refreshTokens;
    }

    /**
     * A rotation that matched: the grant's user and scopes, the family, the successor's generation, until when the
     * retired generation's entry on the revocation list lives (epoch seconds), and the grant's {@code auth_time}
     * (null unless the grant came from an OpenID Connect authorization), which the successor keeps.
     */
    public record Rotation(long userId, Scopes grantScopes, UUID family, int generation, long retiredUntil,
            Instant authTime) {
    }

    /** Stores {@code tokens}' refresh token as the first of {@code family}, in one statement outside any transaction. */
    public Uni<Void> insert(NewTokens tokens, UUID family, long applicationId, long userId, Scopes grantScopes) {
        return pool.preparedQuery(INSERT)
                .execute(Tuple.from(new Object[] {tokens.refreshTokenHash(), family, applicationId, userId,
                        grantScopes.toString(), tokens.accessJti(), utc(tokens.accessExpiresAt()),
                        utc(tokens.issuedAt()), utc(tokens.refreshExpiresAt()), tokens.refreshJkt()}))
                .replaceWithVoid();
    }

    /** As {@link #insert}, inside the caller's transaction: for a grant whose own writes commit with the token. */
    public Uni<Void> insertInTransaction(NewTokens tokens, UUID family, long applicationId, long userId,
            Scopes grantScopes, Instant authTime) {
        RefreshToken row = new RefreshToken();
        row.tokenHash = tokens.refreshTokenHash();
        row.familyId = family;
        row.applicationId = applicationId;
        row.userId = userId;
        row.scope = grantScopes;
        row.accessJti = tokens.accessJti();
        row.accessExpiresAt = tokens.accessExpiresAt();
        row.createdAt = tokens.issuedAt();
        row.expiresAt = tokens.refreshExpiresAt();
        row.authTime = authTime;
        row.dpopJkt = tokens.refreshJkt();
        return refreshTokens.persist(row).replaceWithVoid();
    }

    /**
     * Uses the refresh token hashed {@code tokenHash} and stores {@code next} as its successor, in one statement: only
     * if the token is unused, unrevoked, unexpired, the client's, and its scope covers {@code requested} (or, when
     * none is requested, lies within {@code clientScopes}), and, when it is bound to a DPoP key, {@code proofJkt}
     * (the thumbprint of the request's proof, null without one) is that key. Empty when it is not.
     */
    public Uni<Optional<Rotation>> rotate(String tokenHash, long applicationId, Optional<Scopes> requested,
            Scopes clientScopes, NewTokens next, String proofJkt) {
        Tuple arguments = Tuple.from(new Object[] {tokenHash, applicationId,
                requested.map(RefreshTokenStore::array).orElse(null), array(clientScopes),
                next.refreshTokenHash(), next.accessJti(), utc(next.accessExpiresAt()), utc(next.issuedAt()),
                utc(next.refreshExpiresAt()), proofJkt, next.refreshJkt()});
        return pool.preparedQuery(ROTATE).execute(arguments).map(rows -> {
            RowIterator<Row> found = rows.iterator();
            if (!found.hasNext()) {
                return Optional.empty();
            }
            Row used = found.next();
            return Optional.of(new Rotation(used.getLong("user_id"), Scopes.parseStored(used.getString("scope")),
                    used.getUUID("family_id"), used.getInteger("generation"), used.getLong("retired_until"),
                    authTime(used.getOffsetDateTime("auth_time"))));
        });
    }

    /**
     * The condition a rotation adds to its statement (R4): it holds the grant lock of the user {@code userId} (a SQL
     * expression) shared, so no revocation of that user's tokens can read them between its snapshot and its commit.
     */
    public static String grantLockShared(String userId) {
        return "pg_advisory_xact_lock_shared(%d, (%s & 2147483647)::int)".formatted(GRANT_LOCK, userId);
    }

    /**
     * A statement taking, exclusively and each once, the grant locks of the users {@code users} selects (a query of
     * one column): a revocation runs it before the statement that revokes their refresh tokens (R4).
     */
    public static String lockGrants(String users) {
        return LOCK_GRANTS.formatted(users);
    }

    private static String[] array(Scopes scopes) {
        return scopes.values().toArray(String[]::new);
    }

    private static Instant authTime(OffsetDateTime stored) {
        return stored == null ? null : stored.toInstant();
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
