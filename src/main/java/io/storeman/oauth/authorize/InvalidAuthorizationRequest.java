package io.storeman.oauth.authorize;

import io.storeman.oauth.OAuthError;
import java.net.URI;
import java.util.Optional;

/**
 * An authorization request that cannot proceed (RFC 6749 §4.1.2.1). When the client and its redirect URI are
 * known good, {@link #redirect()} holds the error response to send the browser to (with {@code state} echoed);
 * otherwise it is empty and the user must be shown an error page: never redirect to an unverified URI.
 */
public final class InvalidAuthorizationRequest extends RuntimeException {

    private final OAuthError error;
    private final String description;
    private final URI redirect;

    public InvalidAuthorizationRequest(OAuthError error, String description, URI redirect) {
        super(error.code() + ": " + description, null, false, false);
        this.error = error;
        this.description = description;
        this.redirect = redirect;
    }

    public OAuthError error() {
        return error;
    }

    /** Written for people: fit for the error page. */
    public String description() {
        return description;
    }

    /** Where to send the browser, or empty when the error must be shown here instead. */
    public Optional<URI> redirect() {
        return Optional.ofNullable(redirect);
    }
}
