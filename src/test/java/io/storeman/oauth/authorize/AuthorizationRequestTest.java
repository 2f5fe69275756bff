package io.storeman.oauth.authorize;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.storeman.application.OAuthApplication;
import io.storeman.oauth.OAuthError;
import io.storeman.oauth.Scopes;
import java.net.URI;
import org.junit.jupiter.api.Test;

/** The redirects that answer an authorization request (RFC 6749 §4.1.2, RFC 9207 {@code iss}). */
class AuthorizationRequestTest {

    @Test
    void successRedirectWhenRedirectUriHasAQueryThenParametersAreAppendedAndEncoded() {
        AuthorizationRequest request = request("https://client.example/cb?tenant=7", "a b&c=d");

        URI redirect = request.successRedirect("the-code");

        assertEquals("https://client.example/cb?tenant=7&code=the-code&state=a+b%26c%3Dd"
                + "&iss=https%3A%2F%2Fauth.example", redirect.toString());
    }

    @Test
    void errorRedirectWhenNoStateThenErrorDescriptionAndIssuerOnly() {
        AuthorizationRequest request = request("https://client.example/cb", null);

        URI redirect = request.errorRedirect(OAuthError.ACCESS_DENIED, "The user denied the request.");

        assertEquals("https://client.example/cb?error=access_denied"
                + "&error_description=The+user+denied+the+request.&iss=https%3A%2F%2Fauth.example",
                redirect.toString());
    }

    private static AuthorizationRequest request(String redirectUri, String state) {
        OAuthApplication client = new OAuthApplication();
        client.clientId = "client";
        client.redirectUri = redirectUri;
        return new AuthorizationRequest(client, redirectUri, null, Scopes.DEFAULT, state,
                Pkce.challengeOf("v".repeat(43)), "https://auth.example");
    }
}
