package io.storeman.oauth;

/**
 * An OAuth error on its way to the client. The description is written for clients; it never holds internals.
 * Stack traces are not filled in: these are answers, not faults.
 */
public final class OAuthException extends RuntimeException {

    private final OAuthError error;
    private final String description;
    private final String requiredScope;
    private final boolean basicChallenge;
    private final boolean credentialsMissing;
    private final long retryAfterSeconds;
    private final String dpopAlgorithms;
    private final String dpopNonce;

    OAuthException(OAuthError error, String description) {
        this(error, description, null, false, false, 0, null);
    }

    private OAuthException(OAuthError error, String description, String requiredScope, boolean basicChallenge,
            boolean credentialsMissing, long retryAfterSeconds) {
        this(error, description, requiredScope, basicChallenge, credentialsMissing, retryAfterSeconds, null);
    }

    private OAuthException(OAuthError error, String description, String requiredScope, boolean basicChallenge,
            boolean credentialsMissing, long retryAfterSeconds, String dpopAlgorithms) {
        this(error, description, requiredScope, basicChallenge, credentialsMissing, retryAfterSeconds, dpopAlgorithms,
                null);
    }

    private OAuthException(OAuthError error, String description, String requiredScope, boolean basicChallenge,
            boolean credentialsMissing, long retryAfterSeconds, String dpopAlgorithms, String dpopNonce) {
        super(error.code() + ": " + description, null, false, false);
        this.error = error;
        this.description = description;
        this.requiredScope = requiredScope;
        this.basicChallenge = basicChallenge;
        this.credentialsMissing = credentialsMissing;
        this.retryAfterSeconds = retryAfterSeconds;
        this.dpopAlgorithms = dpopAlgorithms;
        this.dpopNonce = dpopNonce;
    }

    /** A 401 for an API request that carried no token: the challenge names no error (RFC 6750 §3.1). */
    public static OAuthException bearerTokenMissing() {
        return new OAuthException(OAuthError.INVALID_TOKEN, "An access token is required.", null, false, true, 0);
    }

    public static OAuthException insufficientScope(String scope) {
        return new OAuthException(OAuthError.INSUFFICIENT_SCOPE, OAuthError.INSUFFICIENT_SCOPE.defaultDescription(),
                scope, false, false, 0);
    }

    /** The same error, answered with {@code WWW-Authenticate: Basic} because the client used Basic. */
    public OAuthException withBasicChallenge() {
        return new OAuthException(error, description, requiredScope, true, credentialsMissing, retryAfterSeconds,
                dpopAlgorithms, dpopNonce);
    }

    /** The same error, telling the client to wait this many seconds ({@code Retry-After}). */
    public OAuthException withRetryAfter(long seconds) {
        return new OAuthException(error, description, requiredScope, basicChallenge, credentialsMissing,
                Math.max(1, seconds), dpopAlgorithms, dpopNonce);
    }

    /**
     * The same error, answered to a request of the resource API that used the DPoP scheme (RFC 9449 §7.1): 401 with
     * {@code WWW-Authenticate: DPoP algs="..."} naming {@code algorithms} (space-separated), and the error.
     */
    public OAuthException withDpopChallenge(String algorithms) {
        return new OAuthException(error, description, requiredScope, basicChallenge, credentialsMissing,
                retryAfterSeconds, algorithms, dpopNonce);
    }

    /** The same error, answered with a {@code DPoP-Nonce} header carrying {@code nonce} (RFC 9449 §8, §9). */
    public OAuthException withDpopNonce(String nonce) {
        return new OAuthException(error, description, requiredScope, basicChallenge, credentialsMissing,
                retryAfterSeconds, dpopAlgorithms, nonce);
    }

    /** The nonce of the answer's {@code DPoP-Nonce} header, or null for none. */
    public String dpopNonce() {
        return dpopNonce;
    }

    /** The algorithms of a DPoP challenge, or null when the answer is no DPoP challenge. */
    public String dpopAlgorithms() {
        return dpopAlgorithms;
    }

    /** Seconds the client should wait before retrying, or 0 when the error says nothing of it. */
    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }

    public OAuthError error() {
        return error;
    }

    public String description() {
        return description;
    }

    public String requiredScope() {
        return requiredScope;
    }

    public boolean basicChallenge() {
        return basicChallenge;
    }

    public boolean credentialsMissing() {
        return credentialsMissing;
    }
}
