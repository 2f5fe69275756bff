package io.storeman.oauth.authorize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.storeman.application.OAuthApplication;
import io.storeman.oauth.OAuthError;
import io.storeman.oauth.Scopes;
import java.net.URI;
import java.util.Map;
import java.util.Set;
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

    @Test
    void signedInWhenPromptLoginAndMaxAgeThenTheReturnPathDropsOnlyThose() {
        AuthorizationRequest request = request("https://client.example/cb", "s");
        OpenIdParameters openId = new OpenIdParameters("n", Set.of(OpenIdParameters.Prompt.LOGIN,
                OpenIdParameters.Prompt.CONSENT), 0L, "who@example.com", null, null, "page", "query");
        request = new AuthorizationRequest(request.client(), request.redirectUri(), null, request.scopes(), "s",
                request.codeChallenge(), request.issuer(), openId);

        Map<String, String> sent = request.parameters();
        Map<String, String> back = request.signedIn().parameters();

        assertEquals("login consent", sent.get("prompt"));
        assertEquals("0", sent.get("max_age"));
        assertEquals("consent", back.get("prompt"), "prompt=login is what the sign-in satisfied");
        assertFalse(back.containsKey("max_age"), "so is max_age");
        for (String kept : new String[] {"nonce", "login_hint", "display", "response_mode", "state", "scope"}) {
            assertEquals(sent.get(kept), back.get(kept), kept);
        }
    }

    private static AuthorizationRequest request(String redirectUri, String state) {
        OAuthApplication client = new OAuthApplication();
        client.clientId = "client";
        client.redirectUri = redirectUri;
        return new AuthorizationRequest(client, redirectUri, null, Scopes.DEFAULT, state,
                Pkce.challengeOf("v".repeat(43)), "https://auth.example");
    }
}
