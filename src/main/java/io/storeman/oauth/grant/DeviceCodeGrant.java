package io.storeman.oauth.grant;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.storeman.application.OAuthApplication;
import io.storeman.common.Secrets;
import io.storeman.oauth.OAuthError;
import io.storeman.oauth.OAuthParameters;
import io.storeman.oauth.Scope;
import io.storeman.oauth.Scopes;
import io.storeman.oauth.authorize.DeviceAuthorizationStore;
import io.storeman.oauth.token.IssuedTokens;
import io.storeman.oauth.token.TokenIssuer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;

/**
 * RFC 8628 §3.4-§3.5: the device polls with its device code until the user decides. Each poll is one statement
 * that also enforces the interval across instances: sooner than the interval after the previous poll is
 * {@code slow_down}, and the interval grows by 5 seconds for good (G5). An undecided request is
 * {@code authorization_pending}, a denied one {@code access_denied}, an expired one {@code expired_token}. An approved
 * one yields tokens once, as an authorization code does: marking it used and issuing share one transaction, so of
 * concurrent redemptions one wins and the others get {@code invalid_grant} (G6). A code of another client is
 * {@code invalid_grant}, as if unknown. Public clients use it with their {@code client_id} alone.
 */
@ApplicationScoped
public class DeviceCodeGrant implements TokenGrant {

    public static final String GRANT_TYPE = "urn:ietf:params:oauth:grant-type:device_code";
    private static final String INVALID = "The device code is invalid or was issued to another client.";
    private static final String USED = "The device code was already used.";

    private final DeviceAuthorizationStore store;
    private final TokenIssuer issuer;

    DeviceCodeGrant(DeviceAuthorizationStore store, TokenIssuer issuer) {
        this.store = store;
        this.issuer = issuer;
    }

    @Override
    public String grantType() {
        return GRANT_TYPE;
    }

    @Override
    public Uni<IssuedTokens> issue(OAuthParameters parameters, OAuthApplication client, String jkt) {
        String codeHash = Secrets.sha256(parameters.require("device_code"));
        return store.poll(codeHash, client.id).chain(poll -> poll != null
                ? answer(poll, client, jkt)
                : store.unusable(codeHash, client.id).map(unusable -> {
                    throw switch (unusable) {
                        case UNKNOWN -> OAuthError.INVALID_GRANT.exception(INVALID);
                        case USED -> OAuthError.INVALID_GRANT.exception(USED);
                        case EXPIRED -> OAuthError.EXPIRED_TOKEN.exception();
                    };
                }));
    }

    private Uni<IssuedTokens> answer(DeviceAuthorizationStore.Poll poll, OAuthApplication client, String jkt) {
        if (poll.tooFast()) {
            throw OAuthError.POLLING_TOO_FAST.exception("Polling too fast: poll at most every "
                    + poll.intervalSeconds() + " seconds.");
        }
        return switch (poll.status()) {
            case "pending" -> throw OAuthError.AUTHORIZATION_PENDING.exception();
            case "denied" -> throw OAuthError.DEVICE_ACCESS_DENIED.exception();
            case "approved" -> redeem(poll, client, jkt);
            default -> throw OAuthError.INVALID_GRANT.exception(USED);
        };
    }

    /** Tokens for the approving user; bound to the key of the poll's DPoP proof when {@code jkt} names one (B4). */
    private Uni<IssuedTokens> redeem(DeviceAuthorizationStore.Poll poll, OAuthApplication client, String jkt) {
        Scopes scopes = poll.scope().intersection(client.scopes);
        if (scopes.isEmpty()) {
            throw OAuthError.INVALID_GRANT.exception("The application may no longer use the granted scope.");
        }
        Instant authTime = scopes.contains(Scope.OPENID) ? poll.authTime() : null;
        return Panache.withTransaction(() -> store.markUsed(poll.id())
                .chain(won -> {
                    if (!won) {
                        return Uni.createFrom().failure(OAuthError.INVALID_GRANT.exception(USED));
                    }
                    return issuer.issueForUserInTransaction(client, poll.userId(), scopes, scopes,
                                    poll.familyId(), authTime, jkt)
                            .map(tokens -> issuer.withIdToken(tokens, client, authTime, null));
                }));
    }
}
