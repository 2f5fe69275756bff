package io.storeman.session;

import io.storeman.common.Secrets;

/**
 * CSRF tokens of the account pages (synchronizer tokens). A form's token is derived from a secret the browser holds
 * only in an HttpOnly cookie: the session id once signed in, a random pre-session value on the sign-in and sign-up
 * pages. A cross-site page can neither read the cookie nor the page, so it cannot produce the token; a copy of the
 * database cannot either, since it holds only a differently derived hash of the session id.
 */
public final class Csrf {

    /** The hidden form field. */
    public static final String FIELD = "_csrf";
    /** The header a script sends when it calls the account API with the session cookie. */
    public static final String HEADER = "X-CSRF-Token";

    private Csrf() {
    }

    public static String tokenFor(String secret) {
        return Secrets.sha256("storeman-csrf:" + secret);
    }

    /** Whether {@code presented} is the token of {@code secret}; false when either is missing. */
    public static boolean matches(String secret, String presented) {
        return secret != null && !secret.isEmpty() && presented != null
                && Secrets.constantTimeEquals(tokenFor(secret), presented);
    }
}
