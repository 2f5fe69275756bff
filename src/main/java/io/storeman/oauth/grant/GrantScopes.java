package io.storeman.oauth.grant;

import io.storeman.oauth.OAuthError;
import io.storeman.oauth.OAuthParameters;
import io.storeman.oauth.Scopes;

/** The scope rule shared by the grants (RFC 6749 §3.3). */
final class GrantScopes {

    private GrantScopes() {
    }

    /**
     * The scope a request asks for: its {@code scope} parameter, else {@code fallback}. It must lie within
     * {@code allowed}, else {@code invalid_scope}; it is never empty.
     */
    static Scopes requested(OAuthParameters parameters, Scopes allowed, Scopes fallback) {
        Scopes requested = Scopes.parse(parameters.get("scope").orElse(null), fallback);
        if (requested.isEmpty() || !allowed.containsAll(requested)) {
            throw OAuthError.INVALID_SCOPE.exception("The requested scope exceeds what this client may ask for.");
        }
        return requested;
    }

    /** As above, with the default scope {@code public} when none is asked for. */
    static Scopes requested(OAuthParameters parameters, Scopes allowed) {
        return requested(parameters, allowed, Scopes.DEFAULT);
    }
}
