package io.storeman.oauth.bearer;

import io.storeman.oauth.OAuthError;
import io.storeman.oauth.token.AccessToken;
import jakarta.enterprise.context.RequestScoped;

/** The access token of the current API request, set by {@link BearerTokenFilter}. */
@RequestScoped
public class Caller {

    private AccessToken token;

    void set(AccessToken token) {
        this.token = token;
    }

    public AccessToken token() {
        if (token == null) {
            throw new IllegalStateException("No access token: the method lacks @RequiresScope");
        }
        return token;
    }

    /** The user the token was issued for; a token a client holds for itself has none. */
    public long userId() {
        return token().userId().orElseThrow(() -> OAuthError.INSUFFICIENT_SCOPE.exception(
                "This endpoint needs a token issued for a user."));
    }
}
