package io.storeman.oauth.grant;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.storeman.application.OAuthApplication;
import io.storeman.common.Secrets;
import io.storeman.oauth.OAuthError;
import io.storeman.oauth.OAuthException;
import io.storeman.oauth.OAuthMetrics;
import io.storeman.oauth.OAuthParameters;
import io.storeman.oauth.Scopes;
import io.storeman.oauth.revoke.Revocations;
import io.storeman.oauth.token.IssuedTokens;
import io.storeman.oauth.token.RefreshToken;
import io.storeman.oauth.token.RefreshTokenRepository;
import io.storeman.oauth.token.TokenIssuer;
import io.storeman.security.AuditLog;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;

/**
 * RFC 6749 §6 with strict rotation (SECURITY.md D2, RFC 9700 §4.14.2): each refresh token works once. Using it
 * retires it and the access token issued with it; using it again, or concurrently, revokes the whole family.
 */
@ApplicationScoped
public class RefreshTokenGrant implements TokenGrant {

    private static final String REUSED = "The refresh token was already used; every token of its grant is revoked.";

    private final RefreshTokenRepository refreshTokens;
    private final Revocations revocations;
    private final TokenIssuer issuer;
    private final OAuthMetrics metrics;
    private final AuditLog audit;

    RefreshTokenGrant(RefreshTokenRepository refreshTokens, Revocations revocations, TokenIssuer issuer,
            OAuthMetrics metrics, AuditLog audit) {
        this.audit = audit;
        this.refreshTokens = refreshTokens;
        this.revocations = revocations;
        this.issuer = issuer;
        this.metrics = metrics;
    }

    @Override
    public String grantType() {
        return "refresh_token";
    }

    /** A rotation either issues tokens or, having committed a family revocation, fails afterwards. */
    private record Outcome(IssuedTokens tokens, OAuthException failure) {
    }

    @Override
    public Uni<IssuedTokens> issue(OAuthParameters parameters, OAuthApplication client) {
        String tokenHash = Secrets.sha256(parameters.require("refresh_token"));
        return Panache.withTransaction(() -> refreshTokens.findByHash(tokenHash)
                        .chain(token -> rotate(token, client, parameters)))
                .map(outcome -> {
                    if (outcome.failure() != null) {
                        throw outcome.failure();
                    }
                    return outcome.tokens();
                });
    }

    private Uni<Outcome> rotate(RefreshToken token, OAuthApplication client, OAuthParameters parameters) {
        Instant now = Instant.now();
        if (token == null || !token.applicationId.equals(client.id) || token.revokedAt != null
                || !token.expiresAt.isAfter(now)) {
            throw OAuthError.INVALID_GRANT.exception("The refresh token is invalid, expired or revoked.");
        }
        if (token.usedAt != null) {
            return revokeFamily(token);
        }
        Scopes grantScopes = Scopes.parseStored(token.scope);
        Scopes allowed = grantScopes.intersection(Scopes.parseStored(client.scopes));
        Scopes scopes = GrantScopes.requested(parameters, allowed, grantScopes);
        return refreshTokens.markUsed(token.id, now)
                .chain(won -> won ? issueSuccessor(token, client, scopes, grantScopes) : revokeFamily(token));
    }

    private Uni<Outcome> issueSuccessor(RefreshToken used, OAuthApplication client, Scopes scopes,
            Scopes grantScopes) {
        return revocations.revokeAccessToken(used.accessJti.toString(), used.accessExpiresAt.getEpochSecond())
                .chain(() -> issuer.issueForUser(client, used.userId, scopes, grantScopes, used.familyId))
                .map(tokens -> new Outcome(tokens, null));
    }

    private Uni<Outcome> revokeFamily(RefreshToken token) {
        return revocations.revokeFamily(token.familyId)
                .invoke(() -> {
                    metrics.refreshTokenReused();
                    audit.record(AuditLog.Event.REFRESH_TOKEN_REUSED, token.userId, null,
                            "family=" + token.familyId);
                })
                .replaceWith(new Outcome(null, OAuthError.INVALID_GRANT.exception(REUSED)));
    }
}
