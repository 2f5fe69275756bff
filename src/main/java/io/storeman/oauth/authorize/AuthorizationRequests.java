package io.storeman.oauth.authorize;

import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import io.storeman.application.ApplicationRepository;
import io.storeman.application.OAuthApplication;
import io.storeman.common.StoremanConfig;
import io.storeman.common.TextInput;
import io.storeman.oauth.OAuthError;
import io.storeman.oauth.OAuthException;
import io.storeman.oauth.Scopes;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.util.List;
import java.util.Map;

/**
 * The server side of {@code /oauth/authorize} (RFC 6749 §4.1.1-§4.1.2, RFC 7636): validates a request in the RFC's
 * order, and turns the user's decision into the redirect to send the browser to. The page around it (sign-in, the
 * consent screen, CSRF) calls {@link #validate}, then maybe {@link #alreadyConsented}, then {@link #approve} or
 * {@link #deny}.
 */
@ApplicationScoped
public class AuthorizationRequests {

    private static final int MAX_VALUE_LENGTH = 2048;

    private final ApplicationRepository applications;
    private final AuthorizationCodes codes;
    private final Consents consents;
    private final String issuer;

    AuthorizationRequests(ApplicationRepository applications, AuthorizationCodes codes, Consents consents,
            StoremanConfig config) {
        this.applications = applications;
        this.codes = codes;
        this.consents = consents;
        this.issuer = config.issuer();
    }

    /**
     * Validates the query of an authorization request. Fails with {@link InvalidAuthorizationRequest}: without a
     * redirect while the client or its redirect URI is in doubt (missing or unknown client, a redirect URI not
     * registered exactly), else with the error redirect, {@code state} echoed.
     */
    public Uni<AuthorizationRequest> validate(Map<String, List<String>> query) {
        return Uni.createFrom().deferred(() -> lookUp(query));
    }

    private Uni<AuthorizationRequest> lookUp(Map<String, List<String>> query) {
        String clientId = trusted(query, "client_id");
        String requestedRedirectUri = trusted(query, "redirect_uri");
        if (clientId == null) {
            return Uni.createFrom().failure(shown(OAuthError.INVALID_REQUEST,
                    "The request does not name an application (client_id)."));
        }
        return applications.findByClientId(clientId)
                .onItem().ifNull().failWith(() -> shown(OAuthError.INVALID_CLIENT, "The application is unknown."))
                .map(client -> check(query, client, requestedRedirectUri));
    }

    /** Whether the user has already consented to everything the request asks, so the page may skip the question. */
    public Uni<Boolean> alreadyConsented(long userId, AuthorizationRequest request) {
        return consents.covers(userId, request.client().id, request.scopes());
    }

    /** The user approved: remembers the consent, issues a code, and answers the redirect that carries it. */
    @WithTransaction
    public Uni<URI> approve(long userId, AuthorizationRequest request) {
        return consents.grant(userId, request.client().id, request.scopes())
                .chain(() -> codes.issue(userId, request.client(), request.requestedRedirectUri(), request.scopes(),
                        request.codeChallenge()))
                .map(request::successRedirect);
    }

    /** The user declined: {@code error=access_denied} on the redirect. */
    public URI deny(AuthorizationRequest request) {
        return request.errorRedirect(OAuthError.ACCESS_DENIED, "The user denied the request.");
    }

    private AuthorizationRequest check(Map<String, List<String>> query, OAuthApplication client,
            String requestedRedirectUri) {
        String redirectUri = verifiedRedirectUri(client, requestedRedirectUri);
        Redirected fail = new Redirected(redirectUri, echoableState(query), issuer);
        for (Map.Entry<String, List<String>> parameter : query.entrySet()) {
            List<String> values = parameter.getValue() == null ? List.of() : parameter.getValue();
            if (values.size() > 1) {
                throw fail.with(OAuthError.INVALID_REQUEST, "A parameter is sent more than once.");
            }
            if (values.stream().anyMatch(value -> value != null && !fits(value))) {
                throw fail.with(OAuthError.INVALID_REQUEST, "A parameter is too long or holds control characters.");
            }
        }
        String responseType = value(query, "response_type");
        if (responseType == null) {
            throw fail.with(OAuthError.INVALID_REQUEST, "Missing parameter: response_type.");
        }
        if (!responseType.equals("code")) {
            throw fail.with(OAuthError.UNSUPPORTED_RESPONSE_TYPE, "Only response_type=code is supported.");
        }
        String codeChallenge = value(query, "code_challenge");
        if (codeChallenge == null) {
            throw fail.with(OAuthError.INVALID_REQUEST, "PKCE is required: send a code_challenge (S256).");
        }
        if (!Pkce.S256.equals(value(query, "code_challenge_method"))) {
            throw fail.with(OAuthError.INVALID_REQUEST, "code_challenge_method must be S256.");
        }
        if (!Pkce.isValidChallenge(codeChallenge)) {
            throw fail.with(OAuthError.INVALID_REQUEST, "code_challenge is not an S256 challenge.");
        }
        Scopes scopes = requestedScopes(value(query, "scope"), client, fail);
        return new AuthorizationRequest(client, redirectUri, requestedRedirectUri, scopes, fail.state(),
                codeChallenge, issuer);
    }

    /** §3.1.2.3, §4.1.2.1: an unknown client or a redirect URI not registered exactly is never redirected to. */
    private static String verifiedRedirectUri(OAuthApplication client, String requested) {
        if (client.redirectUri == null) {
            throw shown(OAuthError.INVALID_REQUEST, "The application has no registered redirect URI.");
        }
        if (requested != null && !requested.equals(client.redirectUri)) {
            throw shown(OAuthError.INVALID_REQUEST, "The redirect URI is not registered for this application.");
        }
        return client.redirectUri;
    }

    /** §3.3: the requested scope, default {@code public}, within the application's registered scopes. */
    private static Scopes requestedScopes(String scope, OAuthApplication client, Redirected fail) {
        String description = "The requested scope is invalid or exceeds what the application is registered for.";
        Scopes requested;
        try {
            requested = Scopes.parse(scope, Scopes.DEFAULT);
        } catch (OAuthException e) {
            throw fail.with(OAuthError.INVALID_SCOPE, description);
        }
        if (requested.isEmpty() || !client.scopes.containsAll(requested)) {
            throw fail.with(OAuthError.INVALID_SCOPE, description);
        }
        return requested;
    }

    /** The error redirect of a request whose client and redirect URI are verified. */
    private record Redirected(String redirectUri, String state, String issuer) {
        InvalidAuthorizationRequest with(OAuthError error, String description) {
            return new InvalidAuthorizationRequest(error, description,
                    AuthorizationRequest.errorRedirect(redirectUri, state, issuer, error, description));
        }
    }

    private static InvalidAuthorizationRequest shown(OAuthError error, String description) {
        return new InvalidAuthorizationRequest(error, description, null);
    }

    /** {@code client_id} or {@code redirect_uri}: checked before anything may be redirected. */
    private static String trusted(Map<String, List<String>> query, String name) {
        List<String> values = query.get(name);
        if (values != null && values.size() > 1) {
            throw shown(OAuthError.INVALID_REQUEST, "Parameter " + name + " is sent more than once.");
        }
        String value = value(query, name);
        if (value != null && !fits(value)) {
            throw shown(OAuthError.INVALID_REQUEST, "Parameter " + name + " is too long or malformed.");
        }
        return value;
    }

    /** The state to echo: only a single, plain value (a doubtful one is left out rather than mangled). */
    private static String echoableState(Map<String, List<String>> query) {
        List<String> values = query.get("state");
        return values != null && values.size() == 1 && values.get(0) != null && !values.get(0).isEmpty()
                && fits(values.get(0)) ? values.get(0) : null;
    }

    /** The single value of a parameter; null when absent or sent without a value (§3.1). */
    private static String value(Map<String, List<String>> query, String name) {
        List<String> values = query.get(name);
        if (values == null || values.isEmpty() || values.get(0) == null || values.get(0).isEmpty()) {
            return null;
        }
        return values.get(0);
    }

    private static boolean fits(String value) {
        return TextInput.isPlain(value, MAX_VALUE_LENGTH);
    }
}
