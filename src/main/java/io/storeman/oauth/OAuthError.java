package io.storeman.oauth;

/**
 * The OAuth error vocabulary (RFC 6749 §5.2, RFC 6750 §3.1, RFC 7009 §2.2.1, OpenID Connect Core 1.0 §3.1.2.6, RFC 8628
 * §3.5): the only place error codes exist. A code may appear twice when its status differs by endpoint.
 */
public enum OAuthError {
    INVALID_REQUEST("invalid_request", 400, "The request is missing a parameter or is otherwise malformed."),
    INVALID_CLIENT("invalid_client", 401, "Client authentication failed."),
    INVALID_GRANT("invalid_grant", 400, "The grant is invalid, expired or revoked."),
    UNAUTHORIZED_CLIENT("unauthorized_client", 400, "The client is not allowed to use this grant type."),
    UNSUPPORTED_GRANT_TYPE("unsupported_grant_type", 400, "The grant type is not supported."),
    INVALID_SCOPE("invalid_scope", 400, "The requested scope is invalid or exceeds what the client may ask for."),
    UNSUPPORTED_RESPONSE_TYPE("unsupported_response_type", 400, "The response type is not supported."),
    UNSUPPORTED_TOKEN_TYPE("unsupported_token_type", 400, "The token type is not supported."),
    ACCESS_DENIED("access_denied", 403, "The resource owner denied the request."),
    /** OpenID Connect Core 1.0 §3.1.2.6: answers on the redirect of an authorization request, never a status. */
    LOGIN_REQUIRED("login_required", 400, "The user must sign in."),
    CONSENT_REQUIRED("consent_required", 400, "The user must consent."),
    REQUEST_NOT_SUPPORTED("request_not_supported", 400, "The request parameter is not supported."),
    REQUEST_URI_NOT_SUPPORTED("request_uri_not_supported", 400, "The request_uri parameter is not supported."),
    /** RFC 9126 §4, RFC 9101 §6.2: a pushed request's reference that is unknown, used, expired or another's. */
    INVALID_REQUEST_URI("invalid_request_uri", 400, "The request_uri is invalid, expired or already used."),
    REGISTRATION_NOT_SUPPORTED("registration_not_supported", 400, "The registration parameter is not supported."),
    INVALID_TOKEN("invalid_token", 401, "The access token is invalid, expired or revoked."),
    INSUFFICIENT_SCOPE("insufficient_scope", 403, "The access token lacks the scope this request needs."),
    /** RFC 8628 §3.5's code, used here for an address that failed to authenticate too often (429). */
    SLOW_DOWN("slow_down", 429, "Too many failed attempts from this address. Retry later."),
    /** RFC 8628 §3.5, at the token endpoint: the user has not decided yet; poll again after the interval. */
    AUTHORIZATION_PENDING("authorization_pending", 400, "The user has not yet approved or denied the request."),
    /** RFC 8628 §3.5: the device polled sooner than its interval, which is now 5 seconds longer (G5). */
    POLLING_TOO_FAST("slow_down", 400, "Polling too fast: wait the interval, now 5 seconds longer."),
    /** RFC 8628 §3.5: the user denied the device's request (at the token endpoint, hence 400, not 403). */
    DEVICE_ACCESS_DENIED("access_denied", 400, "The user denied the request."),
    /** RFC 8628 §3.5: the device code expired before it was redeemed. */
    EXPIRED_TOKEN("expired_token", 400, "The device code has expired. Start a new device authorization."),
    /** RFC 9449 §5, §7.1: a DPoP proof missing where required, malformed, or failing a check (401 at the API). */
    INVALID_DPOP_PROOF("invalid_dpop_proof", 400, "The DPoP proof is invalid."),
    /** RFC 9449 §8, §9: the proof lacks a valid server nonce; the answer's {@code DPoP-Nonce} header has one (B8). */
    USE_DPOP_NONCE("use_dpop_nonce", 400, "Send the DPoP proof again with the nonce of the DPoP-Nonce header."),
    TEMPORARILY_UNAVAILABLE("temporarily_unavailable", 503, "The service is temporarily unavailable. Retry later."),
    SERVER_ERROR("server_error", 500, "The server could not complete the request.");

    private final String code;
    private final int status;
    private final String defaultDescription;

    OAuthError(String code, int status, String defaultDescription) {
        this.code = code;
        this.status = status;
        this.defaultDescription = defaultDescription;
    }

    public String code() {
        return code;
    }

    public int status() {
        return status;
    }

    public String defaultDescription() {
        return defaultDescription;
    }

    /** Whether this error answers a Bearer-token request of the resource API (RFC 6750). */
    public boolean isBearerError() {
        return this == INVALID_TOKEN || this == INSUFFICIENT_SCOPE;
    }

    public OAuthException exception() {
        return new OAuthException(this, defaultDescription);
    }

    public OAuthException exception(String description) {
        return new OAuthException(this, description);
    }
}
