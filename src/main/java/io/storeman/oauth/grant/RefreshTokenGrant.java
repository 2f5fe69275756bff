package io.storeman.oauth.grant;

import io.smallrye.mutiny.Uni;
import io.storeman.application.OAuthApplication;
import io.storeman.common.Secrets;
import io.storeman.oauth.OAuthError;
import io.storeman.oauth.OAuthMetrics;
import io.storeman.oauth.OAuthParameters;
import io.storeman.oauth.Scopes;
import io.storeman.oauth.revoke.Revocations;
import io.storeman.oauth.token.AccessTokenVerifier;
import io.storeman.oauth.token.IssuedTokens;
import io.storeman.oauth.token.RefreshToken;
import io.storeman.oauth.token.RefreshTokenRepository;
import io.storeman.oauth.token.TokenIssuer;
import io.storeman.oauth.token.TokenIssuer.NewTokens;
import io.storeman.security.AuditLog;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowIterator;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * RFC 6749 §6 with strict rotation (docs/security.md D2, RFC 9700 §4.14.2): each refresh token works once. Using it
 * retires it and the access token issued with it; using it again, or concurrently, revokes the whole family.
 * <p>
 * A rotation is one statement: it marks the token used only if it is still unused, unrevoked, unexpired, the
 * client's, and its scope allows the request, and in the same statement revokes the old access token and stores the
 * successor. Of any number of concurrent uses on any instances exactly one matches; only when none does is the token
 * read again, to tell a reuse (which revokes the family) from an invalid token or scope. The statement holds its
 * user's grant lock shared, so a revocation of the family (or of the user's tokens) either sees the successor or
 * makes the rotation find its token revoked (docs/security.md R4).
 */
@ApplicationScoped
public class RefreshTokenGrant implements TokenGrant {

    private static final String REUSED = "The refresh token was already used; every token of its grant is revoked.";
    private static final String INVALID = "The refresh token is invalid, expired or revoked.";

    /**
     * $1 token hash, $2 application id, $3 the requested scopes (null: the granted ones, which must then lie within
     * $4, the client's scopes), $5..$9 the successor. The family's entry on the revocation list moves up to the
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
                    and case when $3::text[] is null then string_to_array(scope, ' ') <@ $4::text[]
                             else string_to_array(scope, ' ') @> $3::text[] end
                returning family_id, user_id, scope, generation + 1 as generation,
                    access_expires_at + make_interval(secs => %d) as retired_until
            ), retired as (
                insert into revocations as r (kind, value, bound, expires_at)
                select 'family', family_id::text, generation, retired_until from used where retired_until > now()
                on conflict (kind, value) do update set bound = greatest(r.bound, excluded.bound),
                    expires_at = greatest(r.expires_at, excluded.expires_at), txid = pg_current_xact_id()
            ), successor as (
                insert into refresh_tokens (token_hash, family_id, application_id, user_id, scope, access_jti,
                    access_expires_at, created_at, expires_at, generation)
                select $5, family_id, $2, user_id, scope, $6, $7, $8, $9, generation from used
            )
            select user_id, scope, family_id, generation,
                floor(extract(epoch from retired_until))::bigint as retired_until
            from used
            """.formatted(Revocations.grantLockShared("user_id"), AccessTokenVerifier.CLOCK_SKEW_SECONDS);

    private final Pool pool;
    private final RefreshTokenRepository refreshTokens;
    private final Revocations revocations;
    private final TokenIssuer issuer;
    private final OAuthMetrics metrics;
    private final AuditLog audit;

    RefreshTokenGrant(Pool pool, RefreshTokenRepository refreshTokens, Revocations revocations, TokenIssuer issuer,
            OAuthMetrics metrics, AuditLog audit) {
        this.pool = pool;
        this.refreshTokens = refreshTokens;
        this.revocations = revocations;
        this.issuer = issuer;
        this.metrics = metrics;
        this.audit = audit;
    }

    @Override
    public String grantType() {
        return "refresh_token";
    }

    @Override
    public Uni<IssuedTokens> issue(OAuthParameters parameters, OAuthApplication client) {
        String tokenHash = Secrets.sha256(parameters.require("refresh_token"));
        Scopes clientScopes = Scopes.parseStored(client.scopes);
        Optional<Scopes> requested = parameters.get("scope").filter(scope -> !scope.isBlank())
                .map(scope -> GrantScopes.requested(parameters, clientScopes));
        NewTokens next = issuer.newTokens();
        Tuple arguments = Tuple.from(new Object[] {tokenHash, client.id,
                requested.map(RefreshTokenGrant::array).orElse(null), array(clientScopes),
                next.refreshTokenHash(), next.accessJti(), TokenIssuer.utc(next.accessExpiresAt()),
                TokenIssuer.utc(next.issuedAt()), TokenIssuer.utc(next.refreshExpiresAt())});
        return pool.preparedQuery(ROTATE).execute(arguments)
                .chain(rows -> {
                    RowIterator<Row> found = rows.iterator();
                    if (!found.hasNext()) {
                        return refused(tokenHash, client, requested);
                    }
                    Row used = found.next();
                    UUID family = used.getUUID("family_id");
                    int generation = used.getInteger("generation");
                    revocations.generationRetired(family, generation, used.getLong("retired_until"));
                    Scopes accessScopes = requested.orElse(Scopes.parseStored(used.getString("scope")));
                    return Uni.createFrom().item(issuer.signed(next, client, used.getLong("user_id"), accessScopes,
                            family, generation));
                });
    }

    /** Why the rotation matched nothing: a reuse revokes the family; anything else changes nothing. */
    private Uni<IssuedTokens> refused(String tokenHash, OAuthApplication client, Optional<Scopes> requested) {
        return refreshTokens.findByHash(tokenHash).chain(token -> {
            if (token == null || !token.applicationId.equals(client.id) || token.revokedAt != null
                    || !token.expiresAt.isAfter(Instant.now())) {
                throw OAuthError.INVALID_GRANT.exception(INVALID);
            }
            if (token.usedAt != null) {
                return revokeFamily(token);
            }
            throw OAuthError.INVALID_SCOPE.exception(requested.isPresent()
                    ? "The requested scope exceeds what was granted."
                    : "The application may no longer use the whole granted scope; ask for a narrower one.");
        });
    }

    private Uni<IssuedTokens> revokeFamily(RefreshToken token) {
        return revocations.revokeFamily(token.familyId)
                .invoke(() -> {
                    metrics.refreshTokenReused();
                    audit.record(AuditLog.Event.REFRESH_TOKEN_REUSED, token.userId, null,
                            "family=" + token.familyId);
                })
                .chain(() -> Uni.createFrom().failure(OAuthError.INVALID_GRANT.exception(REUSED)));
    }

    private static String[] array(Scopes scopes) {
        return scopes.values().toArray(String[]::new);
    }
}
