package io.storeman.common;

/**
 * The values every error writer shares (docs/security.md E2, E3): how long an outage asks clients to wait, the one
 * realm of client authentication by HTTP Basic and the one of Bearer tokens, and the headers that keep an answer out of every cache.
 */
public final class ErrorHeaders {

    /** {@code Retry-After} of a 503 for an outage or an overload, in seconds. */
    public static final long OUTAGE_RETRY_AFTER_SECONDS = 5;
    public static final String RETRY_AFTER = "Retry-After";
    public static final String CACHE_CONTROL = "Cache-Control";
    public static final String NO_STORE = "no-store";
    public static final String PRAGMA = "Pragma";
    public static final String NO_CACHE = "no-cache";
    /** The realm of every HTTP Basic challenge: the OAuth endpoints' and the account API's alike. */
    public static final String BASIC_REALM = "oauth";
    /** The realm of every Bearer challenge (RFC 6750 §3), kept as it was before Basic got its own. */
    public static final String BEARER_REALM = "storeman";

    private ErrorHeaders() {
    }

    /** The bare challenge of an endpoint that takes a Bearer token and got none (RFC 6750 §3). */
    public static String bearerChallenge() {
        return "Bearer realm=\"" + BEARER_REALM + "\"";
    }

    /** The challenge of an endpoint taking HTTP Basic credentials, under {@code scheme}. */
    public static String basicChallenge(String scheme) {
        return scheme + " realm=\"" + BASIC_REALM + "\"";
    }
}
