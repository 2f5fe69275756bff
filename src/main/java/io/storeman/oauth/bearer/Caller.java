package io.storeman.oauth.bearer;

import io.quarkus.security.identity.SecurityIdentity;
import io.storeman.oauth.OAuthError;
import io.storeman.oauth.token.AccessToken;
import jakarta.enterprise.context.ApplicationScoped;

/** The access token of the current API request: a view over the {@link SecurityIdentity} Quarkus Security built. */
@ApplicationScoped
public class Caller {

    private final SecurityIdentity identity;

    Caller(SecurityIdentity identity) {
        this.identity = identity;
    }

    public AccessToken token() {
        AccessToken token = identity.getAttribute(AccessTokenIdentityProvider.ACCESS_TOKEN);
        if (token == null) {
            throw new IllegalStateException("No access token: the method is not @PermissionsAllowed or @Authenticated");
        }
        return token;
    }

    /** The user the token was issued for; a token a client holds for itself has none. */
    public long userId() {
        return token().userId().orElseThrow(() -> OAuthError.INSUFFICIENT_SCOPE.exception(
                "This endpoint needs a token issued for a user."));
    }
}
