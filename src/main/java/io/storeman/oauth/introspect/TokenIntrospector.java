package io.storeman.oauth.introspect;

import io.smallrye.mutiny.Uni;
import io.storeman.account.UserProfiles;
import io.storeman.application.OAuthApplication;
import io.storeman.common.Secrets;
import io.storeman.common.StoremanConfig;
import io.storeman.oauth.Scope;
import io.storeman.oauth.Scopes;
import io.storeman.oauth.revoke.RevocationList;
import io.storeman.oauth.revoke.RevocationStore;
import io.storeman.oauth.token.AccessToken;
import io.storeman.oauth.token.AccessTokenVerifier;
import io.storeman.oauth.token.RefreshToken;
import io.storeman.oauth.token.RefreshTokenRepository;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Optional;

/**
 * RFC 7662 introspection of access tokens (signature and claims, then the revocation list: this instance's copy
 * while it is current, else the database) and refresh tokens (by hash: active while unused, unrevoked and unexpired). A client learns only about
 * tokens issued to itself: any other token is {@code {"active": false}}, the same answer as for garbage, so the
 * endpoint is no oracle for other clients' tokens (RFC 7662 §4 lets the server restrict; the spirit of
 * docs/security.md D3). Nor does it tell a client more about the user than its token's scope does (P1).
 */
@ApplicationScoped
public class TokenIntrospector {

    static final String BEARER = "Bearer";
    static final String DPOP = "DPoP";
    static final String REFRESH_TOKEN = "refresh_token";

    private final AccessTokenVerifier verifier;
    private final RevocationList revocationList;
    private final RevocationStore revocations;
    private final RefreshTokenRepository refreshTokens;
    private final UserProfiles profiles;
    private final StoremanConfig config;

    TokenIntrospector(AccessTokenVerifier verifier, RevocationList revocationList, RevocationStore revocations,
            RefreshTokenRepository refreshTokens, UserProfiles profiles, StoremanConfig config) {
        this.profiles = profiles;
        this.verifier = verifier;
        this.revocationList = revocationList;
        this.revocations = revocations;
        this.refreshTokens = refreshTokens;
        this.config = config;
    }

    /** What {@code client} may learn about {@code token}. The type hint is not needed: both kinds are tried. */
    public Uni<Introspection> introspect(OAuthApplication client, String token) {
        Optional<AccessToken> accessToken = verifier.tryVerify(token);
        if (accessToken.isPresent()) {
            return introspectAccessToken(client, accessToken.get());
        }
        return refreshTokens.findByHash(Secrets.sha256(token))
                .chain(refreshToken -> introspectRefreshToken(client, refreshToken));
    }

    private Uni<Introspection> introspectAccessToken(OAuthApplication client, AccessToken token) {
        if (!token.clientId().equals(client.clientId) || revocationList.isRevoked(token)) {
            return Uni.createFrom().item(Introspection.INACTIVE);
        }
        if (revocationList.isCurrent()) {
            return describe(token);
        }
        // This instance's copy may be behind: ask the database itself (or fail with 503 if it cannot be reached).
        return revocations.isRevoked(token)
                .chain(revoked -> revoked ? Uni.createFrom().item(Introspection.INACTIVE) : describe(token));
    }

    /** An active token's claims; a user token whose user is gone is inactive. */
    private Uni<Introspection> describe(AccessToken token) {
        Optional<Long> userId = token.userId();
        if (userId.isEmpty()) {
            return Uni.createFrom().item(describe(token, null));
        }
        return profiles.find(userId.get())
                .map(profile -> profile == null ? Introspection.INACTIVE
                        : describe(token, username(token.scopes(), profile)));
    }

    private Introspection describe(AccessToken token, String username) {
        return new Introspection(true, token.scopes().toString(), token.clientId(), username,
                token.isDpopBound() ? DPOP : BEARER, token.expiresAt(), token.issuedAt(), token.subject(),
                config.audience(), config.issuer(), token.jti(),
                token.isDpopBound() ? new Introspection.Confirmation(token.jkt()) : null);
    }

    private Uni<Introspection> introspectRefreshToken(OAuthApplication client, RefreshToken token) {
        Instant now = Instant.now();
        if (token == null || !token.applicationId.equals(client.id) || token.usedAt != null
                || token.revokedAt != null || !token.expiresAt.isAfter(now)) {
            return Uni.createFrom().item(Introspection.INACTIVE);
        }
        return profiles.find(token.userId)
                .map(user -> user == null ? Introspection.INACTIVE
                        : new Introspection(true, token.scope.toString(), client.clientId,
                                username(token.scope, user), null,
                                token.expiresAt.getEpochSecond(), token.createdAt.getEpochSecond(),
                                Long.toString(token.userId), null, config.issuer(), null,
                                token.dpopJkt == null ? null : new Introspection.Confirmation(token.dpopJkt)));
    }

    /**
     * The user's e-mail, only for a token granted {@code public}, the scope that discloses it ({@code GET
     * /api/v1/me}): a client granted less learns no more by introspecting (P1). Null leaves {@code username} out.
     */
    private static String username(Scopes scopes, UserProfiles.Profile user) {
        return scopes.contains(Scope.PUBLIC) ? user.email() : null;
    }
}
