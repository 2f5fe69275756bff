package io.storeman.oauth.token;

import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import io.storeman.application.OAuthApplication;
import io.storeman.common.Secrets;
import io.storeman.common.StoremanConfig;
import io.storeman.oauth.OAuthError;
import io.storeman.oauth.Scope;
import io.storeman.oauth.Scopes;
import io.storeman.security.UserQuota;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.UUID;

/** Issues tokens once a grant has decided to: the step every grant shares. */
@ApplicationScoped
public class TokenIssuer {

    private final AccessTokenIssuer accessTokens;
    private final IdTokenIssuer idTokens;
    private final RefreshTokenStore refreshTokens;
    private final StoremanConfig config;
    private final UserQuota quota;

    TokenIssuer(AccessTokenIssuer accessTokens, IdTokenIssuer idTokens, RefreshTokenStore refreshTokens,
            StoremanConfig config, UserQuota quota) {
        this.accessTokens = accessTokens;
        this.idTokens = idTokens;
        this.refreshTokens = refreshTokens;
        this.config = config;
        this.quota = quota;
    }

    /**
     * A refresh token about to be stored (only its hash is) and the identity of the access token issued with it.
     */
    public record NewTokens(String refreshToken, String refreshTokenHash, UUID accessJti, Instant issuedAt,
            Instant accessExpiresAt, Instant refreshExpiresAt, String accessJkt, String refreshJkt) {
    }

    /**
     * An access token for the client itself (client credentials): no user, no refresh token; bound to the DPoP key
     * {@code jkt} unless null.
     */
    public IssuedTokens issueForClient(OAuthApplication client, Scopes scopes, String jkt) {
        long now = Instant.now().getEpochSecond();
        String accessToken = accessTokens.sign(UUID.randomUUID().toString(), client.clientId, client.clientId,
                scopes, now, null, 0, jkt);
        return new IssuedTokens(accessToken, null, scopes, accessTokens.ttlSeconds(), now, null, jkt != null);
    }

    /**
     * Fresh values for a refresh token and its access token, issued now. With a DPoP key ({@code jkt}, its RFC 7638
     * thumbprint; null without a proof) the access token is bound to it, and so is the refresh token of a public
     * client (RFC 9449 §5, docs/security.md B5): a confidential client's refresh token is already bound to its
     * credentials.
     */
    public NewTokens newTokens(OAuthApplication client, String jkt) {
        Instant now = Instant.ofEpochSecond(Instant.now().getEpochSecond());
        String refreshToken = Secrets.newToken();
        return new NewTokens(refreshToken, Secrets.sha256(refreshToken), UUID.randomUUID(), now,
                now.plusSeconds(accessTokens.ttlSeconds()), now.plus(config.refreshTokenTtl()), jkt,
                client.confidential ? null : jkt);
    }

    /**
     * The response for {@code tokens}, once stored in {@code family} at {@code generation}: the access token is
     * signed here.
     */
    public IssuedTokens signed(NewTokens tokens, OAuthApplication client, long userId, Scopes accessScopes,
            UUID family, int generation) {
        long issuedAt = tokens.issuedAt().getEpochSecond();
        String accessToken = accessTokens.sign(tokens.accessJti().toString(), Long.toString(userId), client.clientId,
                accessScopes, issuedAt, family, generation, tokens.accessJkt());
        return new IssuedTokens(accessToken, tokens.refreshToken(), accessScopes, accessTokens.ttlSeconds(),
                issuedAt, userId, tokens.accessJkt() != null);
    }

    /**
     * An access token for a user and a refresh token stored beside it in a new family, with one statement outside
     * any transaction, once the user's quota of new grants allows it ({@link UserQuota}). The refresh token keeps
     * {@code grantScopes}; the access token may carry fewer. {@code jkt}: see {@link #newTokens}.
     */
    public Uni<IssuedTokens> issueForUser(OAuthApplication client, long userId, Scopes accessScopes,
            Scopes grantScopes, String jkt) {
        NewTokens tokens = newTokens(client, jkt);
        UUID family = UUID.randomUUID();
        return takeGrant(userId).chain(() -> refreshTokens.insert(tokens, family, client.id, userId, grantScopes))
                .map(stored -> signed(tokens, client, userId, accessScopes, family, 0));
    }

    /**
     * As {@link #issueForUser(OAuthApplication, long, Scopes, Scopes, String)}, in the family {@code familyId}, inside the
     * caller's transaction: for a grant whose own writes must commit together with the new tokens. The quota is
     * taken outside the transaction: a grant refused later still counts, which only errs on the side of the limit.
     * {@code authTime} (null when the grant is not an OpenID Connect one) is kept with the refresh token, for the ID
     * tokens of its refreshes.
     */
    @WithTransaction
    public Uni<IssuedTokens> issueForUserInTransaction(OAuthApplication client, long userId, Scopes accessScopes,
            Scopes grantScopes, UUID familyId, Instant authTime, String jkt) {
        NewTokens tokens = newTokens(client, jkt);
        return takeGrant(userId)
                .chain(() -> refreshTokens.insertInTransaction(tokens, familyId, client.id, userId, grantScopes,
                        authTime))
                .map(stored -> signed(tokens, client, userId, accessScopes, familyId, 0));
    }

    /**
     * {@code tokens} with an ID token beside them when their scope includes {@code openid} and the user's sign-in time
     * is known ({@code authTime}, null for grants that are not OpenID Connect flows: O4); else {@code tokens} as they
     * are. {@code nonce} is the authorization request's, null on a refresh.
     */
    public IssuedTokens withIdToken(IssuedTokens tokens, OAuthApplication client, Instant authTime, String nonce) {
        if (authTime == null || tokens.userId() == null || !tokens.scope().contains(Scope.OPENID)) {
            return tokens;
        }
        return tokens.withIdToken(idTokens.issue(client, tokens.userId(), tokens.accessToken(), tokens.createdAt(),
                authTime, nonce));
    }

    /** Counts a new grant for the user, or fails with 429 {@code slow_down} when the quota is spent (R2). */
    private Uni<Void> takeGrant(long userId) {
        return quota.take(userId, UserQuota.Kind.GRANT).map(decision -> {
            if (!decision.allowed()) {
                throw OAuthError.SLOW_DOWN.exception("Too many new grants for this user. Retry later.")
                        .withRetryAfter(decision.retryAfterSeconds());
            }
            return null;
        });
    }
}
