package io.storeman.oauth.client;

import io.storeman.oauth.OAuthError;
import io.storeman.oauth.OAuthException;
import io.storeman.oauth.OAuthParameters;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * What a client presented to authenticate: HTTP Basic (RFC 6749 §2.3.1, id and secret form-urlencoded before
 * Base64), or {@code client_id} and {@code client_secret} in the body, or {@code client_id} alone for a public
 * client. Using two methods at once is {@code invalid_request} (§2.3).
 */
public record ClientCredentials(String clientId, String secret, boolean basic) {

    private static final String BASIC = "basic ";

    public static ClientCredentials extract(String authorization, OAuthParameters parameters) {
        if (authorization != null && !authorization.isBlank()) {
            return fromBasic(authorization, parameters);
        }
        String clientId = parameters.get("client_id")
                .orElseThrow(() -> OAuthError.INVALID_CLIENT.exception("Client authentication is required."));
        return new ClientCredentials(clientId, parameters.get("client_secret").orElse(null), false);
    }

    private static ClientCredentials fromBasic(String authorization, OAuthParameters parameters) {
        if (authorization.length() < BASIC.length()
                || !authorization.substring(0, BASIC.length()).equalsIgnoreCase(BASIC)) {
            throw basicFailure("Unsupported client authentication scheme.");
        }
        if (parameters.has("client_secret")) {
            throw OAuthError.INVALID_REQUEST.exception("Use only one client authentication method.");
        }
        String decoded;
        try {
            byte[] raw = Base64.getDecoder().decode(authorization.substring(BASIC.length()).trim());
            decoded = new String(raw, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw basicFailure("Malformed Basic credentials.");
        }
        int colon = decoded.indexOf(':');
        if (colon <= 0) {
            throw basicFailure("Malformed Basic credentials.");
        }
        String clientId;
        String secret;
        try {
            clientId = URLDecoder.decode(decoded.substring(0, colon), StandardCharsets.UTF_8);
            secret = URLDecoder.decode(decoded.substring(colon + 1), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw basicFailure("Malformed Basic credentials.");
        }
        if (parameters.get("client_id").filter(id -> !id.equals(clientId)).isPresent()) {
            throw OAuthError.INVALID_REQUEST.exception("Use only one client authentication method.");
        }
        return new ClientCredentials(clientId, secret, true);
    }

    private static OAuthException basicFailure(String description) {
        return OAuthError.INVALID_CLIENT.exception(description).withBasicChallenge();
    }

    /** The failure to answer when these credentials do not authenticate a client. */
    public OAuthException failure() {
        OAuthException failure = OAuthError.INVALID_CLIENT.exception();
        return basic ? failure.withBasicChallenge() : failure;
    }
}
