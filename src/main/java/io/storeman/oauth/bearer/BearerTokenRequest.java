package io.storeman.oauth.bearer;

import io.quarkus.security.identity.request.BaseAuthenticationRequest;

/** The Bearer access token an API request presented (RFC 6750 §2.1), still unverified. */
public final class BearerTokenRequest extends BaseAuthenticationRequest {

    private final String token;

    public BearerTokenRequest(String token) {
        this.token = token;
    }

    public String token() {
        return token;
    }
}
