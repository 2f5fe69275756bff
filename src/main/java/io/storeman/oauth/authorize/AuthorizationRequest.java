package io.storeman.oauth.authorize;

import io.storeman.application.OAuthApplication;
import io.storeman.oauth.OAuthError;
import io.storeman.oauth.Scope;
import io.storeman.oauth.ScopeWords;
import io.storeman.oauth.Scopes;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A validated authorization request (RFC 6749 §4.1.1 with RFC 7636 S256): what the consent page shows and what
 * approving or denying it answers.
 *
 * @param client the application asking
 * @param redirectUri where the answer goes: the registered redirect URI
 * @param requestedRedirectUri the {@code redirect_uri} the request carried (equal to the registered one), or null
 * @param scopes the requested scopes (default {@code public}), within the application's registered scopes
 * @param state the client's {@code state}, echoed in the answer; null when absent
 * @param codeChallenge the PKCE S256 challenge
 * @param issuer our issuer, sent back as {@code iss} (RFC 9207)
 * @param openId the OpenID Connect parameters ({@link OpenIdParameters#NONE} when there are none)
 * @param pushed the pushed request (RFC 9126) this request was read from, or null when its parameters came with the
 *     browser
 */
public record AuthorizationRequest(OAuthApplication client, String redirectUri,
        String requestedRedirectUri, Scopes scopes, String state, String codeChallenge, String issuer,
        OpenIdParameters openId, Pushed pushed) {

    /**
     * Where a pushed request's parameters came from: its {@code request_uri}, and when a browser first arrived with
     * it. A sign-in after that arrival satisfies the request's {@code prompt=login} and {@code max_age} (Q2).
     */
    public record Pushed(String requestUri, Instant arrivedAt) {
    }

    /** A request without OpenID Connect parameters. */
    public AuthorizationRequest(OAuthApplication client, String redirectUri, String requestedRedirectUri,
            Scopes scopes, String state, String codeChallenge, String issuer) {
        this(client, redirectUri, requestedRedirectUri, scopes, state, codeChallenge, issuer, OpenIdParameters.NONE,
                null);
    }

    /** A request whose parameters came with the browser. */
    public AuthorizationRequest(OAuthApplication client, String redirectUri, String requestedRedirectUri,
            Scopes scopes, String state, String codeChallenge, String issuer, OpenIdParameters openId) {
        this(client, redirectUri, requestedRedirectUri, scopes, state, codeChallenge, issuer, openId, null);
    }

    /** Whether the client pushed this request (RFC 9126), so that the browser carries only its reference. */
    public boolean isPushed() {
        return pushed != null;
    }

    /** The pushed request's {@code request_uri}, or null. */
    public String requestUri() {
        return pushed == null ? null : pushed.requestUri();
    }

    /**
     * Whether the session {@code signedInAt} began after the browser arrived with this pushed request: then it is the
     * sign-in the request asked for ({@code prompt=login}, {@code max_age}), which a plain request's return path says
     * by leaving those out ({@link #signedIn()}) but a pushed request's reference cannot.
     */
    public boolean signedInSinceArrival(Instant signedInAt) {
        return pushed != null && !signedInAt.isBefore(pushed.arrivedAt());
    }

    /** Whether this is an OpenID Connect request: its scope includes {@code openid}, so its code yields an ID token. */
    public boolean isOpenId() {
        return scopes.contains(Scope.OPENID);
    }

    /**
     * This request as the browser returns with it from the sign-in page it was sent to: without what that sign-in
     * satisfied ({@code prompt=login}, {@code max_age}; see {@link OpenIdParameters#signedIn()}).
     */
    public AuthorizationRequest signedIn() {
        return new AuthorizationRequest(client, redirectUri, requestedRedirectUri, scopes, state, codeChallenge,
                issuer, openId.signedIn(), pushed);
    }

    /** The scopes in plain words, for the consent page. */
    public List<String> scopeDescriptions() {
        return ScopeWords.describe(scopes);
    }

    /**
     * What the browser carries through the sign-in page and the consent form: the request's {@link #parameters()},
     * or for a pushed request only {@code client_id} and {@code request_uri} (Q2). Sending them back to
     * {@link AuthorizationRequests#validate} yields this request again.
     */
    public Map<String, String> carried() {
        if (!isPushed()) {
            return parameters();
        }
        Map<String, String> reference = new LinkedHashMap<>();
        reference.put("client_id", client.clientId);
        reference.put("request_uri", pushed.requestUri());
        return reference;
    }

    /** The request's parameters, as {@link AuthorizationRequests#validate} reads them. */
    public Map<String, String> parameters() {
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put("response_type", "code");
        parameters.put("client_id", client.clientId);
        if (requestedRedirectUri != null) {
            parameters.put("redirect_uri", requestedRedirectUri);
        }
        parameters.put("scope", scopes.toString());
        if (state != null) {
            parameters.put("state", state);
        }
        parameters.put("code_challenge", codeChallenge);
        parameters.put("code_challenge_method", Pkce.S256);
        openId.addTo(parameters);
        return parameters;
    }

    /** The success response (§4.1.2): {@code code}, {@code state} and {@code iss}. */
    public URI successRedirect(String code) {
        Map<String, String> query = new LinkedHashMap<>();
        query.put("code", code);
        return redirect(query);
    }

    /** An error response (§4.1.2.1), e.g. {@code access_denied} when the user declines. */
    public URI errorRedirect(OAuthError error, String description) {
        return errorRedirect(redirectUri, state, issuer, error, description);
    }

    static URI errorRedirect(String redirectUri, String state, String issuer, OAuthError error, String description) {
        Map<String, String> query = new LinkedHashMap<>();
        query.put("error", error.code());
        query.put("error_description", description);
        return withQuery(redirectUri, query, state, issuer);
    }

    private URI redirect(Map<String, String> query) {
        return withQuery(redirectUri, query, state, issuer);
    }

    /** Appends the parameters to the redirect URI, keeping any query it already has (§3.1.2). */
    private static URI withQuery(String redirectUri, Map<String, String> query, String state, String issuer) {
        if (state != null) {
            query.put("state", state);
        }
        query.put("iss", issuer);
        StringBuilder uri = new StringBuilder(redirectUri);
        char separator = redirectUri.contains("?") ? '&' : '?';
        for (Map.Entry<String, String> parameter : query.entrySet()) {
            uri.append(separator)
                    .append(parameter.getKey())
                    .append('=')
                    .append(URLEncoder.encode(parameter.getValue(), StandardCharsets.UTF_8));
            separator = '&';
        }
        return URI.create(uri.toString());
    }
}
