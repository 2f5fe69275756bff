package io.storeman.oauth.token;

import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import io.storeman.application.OAuthApplication;
import io.storeman.common.Secrets;
import io.storeman.common.StoremanConfig;
import io.storeman.oauth.Scopes;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.UUID;

/** Issues tokens once a grant has decided to: the step every grant shares. */
@ApplicationScoped
public class TokenIssuer {

    private final AccessTokenIssuer accessTokens;
    private final RefreshTokenRepository refreshTokens;
    private final StoremanConfig config;

    TokenIssuer(AccessTokenIssuer accessTokens, RefreshTokenRepository refreshTokens, StoremanConfig config) {
        this.accessTokens = accessTokens;
        this.refreshTokens = refreshTokens;
        this.config = config;
    }

    /** An access token for the client itself (client credentials): no user, no refresh token. */
    public IssuedTokens issueForClient(OAuthApplication client, Scopes scopes) {
        long now = Instant.now().getEpochSecond();
        String accessToken = accessTokens.sign(UUID.randomUUID().toString(), client.clientId, client.clientId,
                scopes, now);
        return new IssuedTokens(accessToken, null, scopes, accessTokens.ttlSeconds(), now, null);
    }

    /**
     * An access token for a user and a refresh token stored beside it, in the family {@code familyId} (new for a
     * new grant, inherited on rotation). The refresh token keeps {@code grantScopes}; the access token may carry
     * fewer.
     */
    @WithTransaction
    public Uni<IssuedTokens> issueForUser(OAuthApplication client, long userId, Scopes accessScopes,
            Scopes grantScopes, UUID familyId) {
        Instant now = Instant.now();
        long issuedAt = now.getEpochSecond();
        String refreshToken = Secrets.newToken();
        RefreshToken row = new RefreshToken();
        row.tokenHash = Secrets.sha256(refreshToken);
        row.familyId = familyId;
        row.applicationId = client.id;
        row.userId = userId;
        row.scope = grantScopes.toString();
        row.accessJti = UUID.randomUUID();
        row.accessExpiresAt = Instant.ofEpochSecond(issuedAt + accessTokens.ttlSeconds());
        row.createdAt = now;
        row.expiresAt = now.plus(config.refreshTokenTtl());
        return refreshTokens.persist(row)
                .map(saved -> new IssuedTokens(
                        accessTokens.sign(row.accessJti.toString(), Long.toString(userId), client.clientId,
                                accessScopes, issuedAt),
                        refreshToken, accessScopes, accessTokens.ttlSeconds(), issuedAt, userId));
    }
}
