package io.storeman.oauth.grant;

import io.smallrye.mutiny.Uni;
import io.storeman.application.OAuthApplication;
import io.storeman.common.Secrets;
import io.storeman.oauth.OAuthError;
import io.storeman.oauth.OAuthMetrics;
import io.storeman.oauth.OAuthParameters;
import io.storeman.oauth.Scopes;
import io.storeman.oauth.revoke.Revocations;
import io.storeman.oauth.token.IssuedTokens;
import io.storeman.oauth.token.RefreshToken;
import io.storeman.oauth.token.RefreshTokenRepository;
import io.storeman.oauth.token.RefreshTokenStore;
import io.storeman.oauth.token.RefreshTokenStore.Rotation;
import io.storeman.oauth.token.TokenIssuer;
import io.storeman.oauth.token.TokenIssuer.NewTokens;
import io.storeman.security.AuditLog;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Optional;

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

    private final RefreshTokenStore store;
    private final RefreshTokenRepository refreshTokens;
    private final Revocations revocations;
    private final TokenIssuer issuer;
    private final OAuthMetrics metrics;
    private final AuditLog audit;

    RefreshTokenGrant(RefreshTokenStore store, RefreshTokenRepository refreshTokens, Revocations revocations,
            TokenIssuer issuer, OAuthMetrics metrics, AuditLog audit) {
        this.store = store;
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
    public Uni<IssuedTokens> issue(OAuthParameters parameters, OAuthApplication client, String jkt) {
        String tokenHash = Secrets.sha256(parameters.require("refresh_token"));
        Scopes clientScopes = client.scopes;
        Optional<Scopes> requested = parameters.get("scope").filter(scope -> !scope.isBlank())
                .map(scope -> GrantScopes.requested(parameters, clientScopes));
        NewTokens next = issuer.newTokens(client, jkt);
        return store.rotate(tokenHash, client.id, requested, clientScopes, next, jkt)
                .chain(rotation -> rotation.isEmpty()
                        ? refused(tokenHash, client, requested, jkt)
                        : Uni.createFrom().item(rotated(rotation.get(), next, client, requested)));
    }

    /**
     * The tokens a rotation issued: its family's retired generations are noted on this instance's list at once. A
     * grant from an OpenID Connect authorization whose new access scope includes {@code openid} gets a new ID token:
     * the same {@code sub} and {@code auth_time}, no {@code nonce} (Core 1.0 §12.2, docs/security.md O4).
     */
    private IssuedTokens rotated(Rotation rotation, NewTokens next, OAuthApplication client,
            Optional<Scopes> requested) {
        revocations.generationRetired(rotation.family(), rotation.generation(), rotation.retiredUntil());
        Scopes accessScopes = requested.orElse(rotation.grantScopes());
        IssuedTokens tokens = issuer.signed(next, client, rotation.userId(), accessScopes, rotation.family(),
                rotation.generation());
        return issuer.withIdToken(tokens, client, rotation.authTime(), null);
    }

    /**
     * Why the rotation matched nothing: a reuse revokes the family; anything else changes nothing. A token bound to a
     * DPoP key (B5) refreshed without a proof is {@code invalid_dpop_proof}, with another key's proof
     * {@code invalid_grant}: the token is not valid for that key. Checked before reuse, so that a thief without the
     * key cannot revoke the family either.
     */
    private Uni<IssuedTokens> refused(String tokenHash, OAuthApplication client, Optional<Scopes> requested,
            String jkt) {
        return refreshTokens.findByHash(tokenHash).chain(token -> {
            if (token == null || !token.applicationId.equals(client.id) || token.revokedAt != null
                    || !token.expiresAt.isAfter(Instant.now())) {
                throw OAuthError.INVALID_GRANT.exception(INVALID);
            }
            if (token.dpopJkt != null && jkt == null) {
                throw OAuthError.INVALID_DPOP_PROOF.exception("This refresh token is bound to a DPoP key: send a "
                        + "DPoP proof signed by it.");
            }
            if (token.dpopJkt != null && !token.dpopJkt.equals(jkt)) {
                throw OAuthError.INVALID_GRANT.exception("The refresh token is bound to another DPoP key.");
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
}
