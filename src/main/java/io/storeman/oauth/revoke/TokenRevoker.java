package io.storeman.oauth.revoke;

import io.smallrye.mutiny.Uni;
import io.storeman.application.OAuthApplication;
import io.storeman.common.Secrets;
import io.storeman.oauth.OAuthMetrics;
import io.storeman.oauth.token.AccessToken;
import io.storeman.oauth.token.AccessTokenVerifier;
import io.storeman.oauth.token.RefreshToken;
import io.storeman.oauth.token.RefreshTokenRepository;
import io.storeman.security.AuditLog;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

/**
 * RFC 7009 revocation. The token type is found by looking, not by the hint: an access token is a JWT we signed, a
 * refresh token is found by its hash. Only the client the token was issued to can revoke it; for anyone else, and
 * for unknown tokens, nothing happens and the answer is the same (docs/security.md D3).
 */
@ApplicationScoped
public class TokenRevoker {

    private final AccessTokenVerifier verifier;
    private final RefreshTokenRepository refreshTokens;
    private final Revocations revocations;
    private final OAuthMetrics metrics;
    private final AuditLog audit;

    TokenRevoker(AccessTokenVerifier verifier, RefreshTokenRepository refreshTokens, Revocations revocations,
            OAuthMetrics metrics, AuditLog audit) {
        this.audit = audit;
        this.verifier = verifier;
        this.refreshTokens = refreshTokens;
        this.revocations = revocations;
        this.metrics = metrics;
    }

    public Uni<Void> revoke(OAuthApplication client, Optional<String> token) {
        if (token.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        Optional<AccessToken> accessToken = verifier.tryVerify(token.get());
        if (accessToken.isPresent()) {
            return revokeAccessToken(client, accessToken.get());
        }
        return refreshTokens.findByHash(Secrets.sha256(token.get()))
                .chain(refreshToken -> revokeRefreshToken(client, refreshToken));
    }

    /** D4: revoking an access token leaves its refresh token working. */
    private Uni<Void> revokeAccessToken(OAuthApplication client, AccessToken token) {
        if (!token.clientId().equals(client.clientId)) {
            return Uni.createFrom().voidItem();
        }
        return revocations.revokeAccessToken(token)
                .invoke(() -> revoked(token.userId().orElse(null), client, "access_token"));
    }

    /** D4: revoking a refresh token revokes its family and the family's access tokens. */
    private Uni<Void> revokeRefreshToken(OAuthApplication client, RefreshToken token) {
        if (token == null || !token.applicationId.equals(client.id)) {
            return Uni.createFrom().voidItem();
        }
        return revocations.revokeFamily(token.familyId)
                .invoke(() -> revoked(token.userId, client, "refresh_token"));
    }

    private void revoked(Long userId, OAuthApplication client, String type) {
        metrics.revoked();
        audit.record(AuditLog.Event.TOKEN_REVOKED, userId, client.clientId, "token_type=" + type);
    }
}
