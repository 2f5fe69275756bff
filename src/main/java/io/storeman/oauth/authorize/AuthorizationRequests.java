package io.storeman.oauth.authorize;

import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import io.storeman.application.ApplicationRepository;
import io.storeman.application.OAuthApplication;
import io.storeman.common.Secrets;
import io.storeman.common.StoremanConfig;
import io.storeman.common.TextInput;
import io.storeman.oauth.OAuthError;
import io.storeman.oauth.OAuthException;
import io.storeman.oauth.Scopes;
import io.storeman.oauth.authorize.OpenIdParameters.Prompt;
import io.storeman.oauth.token.IdTokenHints;
import io.storeman.oauth.token.Subjects;
import io.storeman.session.WebSessions;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The server side of {@code /oauth/authorize} (RFC 6749 §4.1.1-§4.1.2, RFC 7636, OpenID Connect Core 1.0 §3.1.2):
 * validates a request in the RFC's order, decides what the browser sees next (the sign-in page, the consent page, or
 * the redirect to the client, as the session, the consent given before and {@code prompt} and {@code max_age} say),
 * and turns the user's decision into the redirect to send the browser to. The page around it (sign-in, the consent
 * screen, CSRF) calls {@link #validate}, then {@link #next}, then {@link #approve} or {@link #deny}.
 * <p>
 * A request the client pushed (RFC 9126) arrives as {@code client_id} and {@code request_uri}: its stored parameters
 * are validated as any others, the rest of the URL is ignored (§4), and the browser carries only the reference through
 * sign-in and consent; it is used up when the authorization is answered (docs/security.md Q2).
 */
@ApplicationScoped
public class AuthorizationRequests {

    private static final int MAX_VALUE_LENGTH = 2048;
    /** RFC 9126 §2.2: the form of every {@code request_uri} this server issues; any other stays unsupported (O6). */
    public static final String REQUEST_URI_PREFIX = "urn:ietf:params:oauth:request_uri:";

    private final ApplicationRepository applications;
    private final AuthorizationCodes codes;
    private final Consents consents;
    private final IdTokenHints hints;
    private final Subjects subjects;
    private final PushedRequestStore pushed;
    private final String issuer;
    private final Duration interaction;

    AuthorizationRequests(ApplicationRepository applications, AuthorizationCodes codes, Consents consents,
            IdTokenHints hints, Subjects subjects, PushedRequestStore pushed, StoremanConfig config) {
        this.applications = applications;
        this.codes = codes;
        this.consents = consents;
        this.hints = hints;
        this.subjects = subjects;
        this.pushed = pushed;
        this.issuer = config.issuer();
        this.interaction = config.oauth().pushedRequestInteractionTtl();
    }

    /** What the browser of a valid request sees next. */
    public enum Step {
        /** The sign-in page, even when a session exists ({@code prompt=login}, {@code max_age} passed). */
        SIGN_IN,
        /** The consent page. */
        CONSENT,
        /** Back to the client: {@link Next#redirect()} holds the code or the error. */
        REDIRECT
    }

    /** The next step, and for {@link Step#REDIRECT} where to. */
    public record Next(Step step, URI redirect) {

        static Next of(Step step) {
            return new Next(step, null);
        }

        static Next redirect(URI target) {
            return new Next(Step.REDIRECT, target);
        }
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
        String requestUri = trusted(query, "request_uri");
        if (clientId == null) {
            return Uni.createFrom().failure(shown(OAuthError.INVALID_REQUEST,
                    "The request does not name an application (client_id)."));
        }
        if (requestUri != null && requestUri.startsWith(REQUEST_URI_PREFIX)) {
            return applications.findByClientId(clientId)
                    .onItem().ifNull().failWith(() -> shown(OAuthError.INVALID_CLIENT, "The application is unknown."))
                    .chain(client -> resolve(client, requestUri));
        }
        String requestedRedirectUri = trusted(query, "redirect_uri");
        return applications.findByClientId(clientId)
                .onItem().ifNull().failWith(() -> shown(OAuthError.INVALID_CLIENT, "The application is unknown."))
                .map(client -> check(query, client, requestedRedirectUri, null, false));
    }

    /**
     * The request {@code client} pushed as {@code requestUri}, its stored parameters validated again (the application
     * may have changed since); every other parameter of the URL is ignored (RFC 9126 §4). An unknown, expired or used
     * reference, or another application's, is {@code invalid_request_uri} on the registered redirect URI, without
     * {@code state}, which only the pushed request knew (Q4).
     */
    private Uni<AuthorizationRequest> resolve(OAuthApplication client, String requestUri) {
        return pushed.start(Secrets.sha256(requestUri), client.id, Instant.now(), interaction).map(stored -> {
            if (stored == null) {
                String redirectUri = verifiedRedirectUri(client, null);
                String description = "The request_uri is unknown, expired or already used: push the request again.";
                throw new InvalidAuthorizationRequest(OAuthError.INVALID_REQUEST_URI, description,
                        AuthorizationRequest.errorRedirect(redirectUri, null, issuer, OAuthError.INVALID_REQUEST_URI,
                                description));
            }
            Map<String, List<String>> parameters = new LinkedHashMap<>();
            stored.parameters().forEach((name, value) -> parameters.put(name, List.of(value)));
            return check(parameters, client, stored.parameters().get("redirect_uri"),
                    new AuthorizationRequest.Pushed(requestUri, stored.startedAt()), false);
        });
    }

    /**
     * Validates the parameters {@code client} pushes to {@code /oauth/par} (RFC 9126 §2.1) by the same rules as a
     * request that comes with the browser; fails with {@link InvalidAuthorizationRequest}, whose error the endpoint
     * answers as JSON. A {@code request_uri} among them is refused: a pushed request cannot point to another.
     */
    public AuthorizationRequest validatePushed(OAuthApplication client, Map<String, List<String>> parameters) {
        if (parameters.containsKey("request_uri")) {
            throw shown(OAuthError.INVALID_REQUEST, "A pushed request cannot carry a request_uri.");
        }
        return check(parameters, client, trusted(parameters, "redirect_uri"), null, true);
    }

    /**
     * What the browser of {@code request} sees next, {@code signedIn} being its session (null when none), and
     * {@code fromOwnPage} whether it arrives from one of this server's pages (then a consented request still shows the
     * consent page, whose form may lead to the client). In order (Core 1.0 §3.1.2.1, §3.1.2.3, docs/security.md O5):
     * <ul>
     * <li>{@code prompt=none} never shows a page: without a session, with one older than {@code max_age}, or with
     * an {@code id_token_hint} naming another user, {@code login_required}; without consent to every requested
     * scope, {@code consent_required}; else the code.</li>
     * <li>No session: sign in. {@code prompt=login}, or a session older than {@code max_age}: sign in again (the
     * request the browser returns with no longer asks, {@link AuthorizationRequest#signedIn()}).</li>
     * <li>{@code prompt=consent}, {@code prompt=select_account} (the consent page names the account and offers to
     * switch it), or no consent yet: the consent page; else the code at once.</li>
     * </ul>
     */
    public Uni<Next> next(AuthorizationRequest request, WebSessions.SignedIn signedIn, boolean fromOwnPage) {
        OpenIdParameters openId = request.openId();
        // A pushed request's return path cannot leave prompt=login and max_age out (O5): a sign-in after the
        // browser's first arrival with it satisfies them instead, and "back" to it before that still asks (Q2).
        boolean signedInForIt = signedIn != null && request.signedInSinceArrival(signedIn.signedInAt());
        boolean stale = signedIn != null && openId.maxAge() != null && !signedInForIt
                && !signedIn.signedInAt().plusSeconds(openId.maxAge()).isAfter(Instant.now());
        if (openId.has(Prompt.NONE)) {
            if (signedIn == null || stale || !hintMatches(request, signedIn)) {
                return answered(request).replaceWith(Next.redirect(request.errorRedirect(OAuthError.LOGIN_REQUIRED,
                        "The user must sign in.")));
            }
            return alreadyConsented(signedIn.user().id, request).chain(consented -> consented
                    ? approve(signedIn, request).map(Next::redirect)
                    : answered(request).replaceWith(Next.redirect(request.errorRedirect(OAuthError.CONSENT_REQUIRED,
                            "The user has not authorized the application for the requested scope."))));
        }
        if (signedIn == null || stale || (openId.has(Prompt.LOGIN) && !signedInForIt)) {
            return Uni.createFrom().item(Next.of(Step.SIGN_IN));
        }
        if (fromOwnPage || openId.has(Prompt.CONSENT) || openId.has(Prompt.SELECT_ACCOUNT)) {
            return Uni.createFrom().item(Next.of(Step.CONSENT));
        }
        return alreadyConsented(signedIn.user().id, request).chain(consented -> consented
                ? approve(signedIn, request).map(Next::redirect)
                : Uni.createFrom().item(Next.of(Step.CONSENT)));
    }

    /** Whether the request's {@code id_token_hint}, if any, names the signed-in user (as its client sees them). */
    private boolean hintMatches(AuthorizationRequest request, WebSessions.SignedIn signedIn) {
        return request.openId().hint() == null || request.openId().hint().subject()
                .equals(subjects.subject(request.client(), signedIn.user().id));
    }

    /** Whether the user has already consented to everything the request asks, so the page may skip the question. */
    public Uni<Boolean> alreadyConsented(long userId, AuthorizationRequest request) {
        return consents.covers(userId, request.client().id, request.scopes());
    }

    /**
     * The user approved: remembers the consent, issues a code, and answers the redirect that carries it. The code of
     * an OpenID Connect request keeps its {@code nonce} and when the session started, the ID token's
     * {@code auth_time}.
     */
    @WithTransaction
    public Uni<URI> approve(WebSessions.SignedIn signedIn, AuthorizationRequest request) {
        return approve(signedIn.user().id, signedIn.signedInAt(), request);
    }

    /**
     * As {@link #approve(WebSessions.SignedIn, AuthorizationRequest)}, for a user who signed in at {@code authTime}.
     */
    @WithTransaction
    public Uni<URI> approve(long userId, Instant authTime, AuthorizationRequest request) {
        return use(request).chain(() -> consents.grant(userId, request.client().id, request.scopes()))
                .chain(() -> codes.issue(userId, request.client(), request.requestedRedirectUri(), request.scopes(),
                        request.codeChallenge(), request.openId().nonce(), authTime))
                .map(request::successRedirect);
    }

    /** The user declined: {@code error=access_denied} on the redirect. */
    public Uni<URI> deny(AuthorizationRequest request) {
        return use(request).replaceWith(() -> request.errorRedirect(OAuthError.ACCESS_DENIED,
                "The user denied the request."));
    }

    /**
     * Uses a pushed request up before its answer (Q2): of two answers to one pushed request (a form sent twice, two
     * tabs), only the first gets one; the other fails with {@code invalid_request_uri}.
     */
    private Uni<Void> use(AuthorizationRequest request) {
        if (!request.isPushed()) {
            return Uni.createFrom().voidItem();
        }
        return pushed.take(Secrets.sha256(request.requestUri()), request.client().id).invoke(taken -> {
            if (!taken) {
                throw new InvalidAuthorizationRequest(OAuthError.INVALID_REQUEST_URI,
                        "The request_uri is expired or already used.", request.errorRedirect(
                                OAuthError.INVALID_REQUEST_URI, "The request_uri is expired or already used."));
            }
        }).replaceWithVoid();
    }

    /** An error answers a pushed request as well: it is used up, whoever else tried first. */
    private Uni<Void> answered(AuthorizationRequest request) {
        return request.isPushed()
                ? pushed.take(Secrets.sha256(request.requestUri()), request.client().id).replaceWithVoid()
                : Uni.createFrom().voidItem();
    }

    /**
     * Checks a request's parameters. {@code pushedRequest} is the pushed request they were stored as (null when they
     * came with the browser); {@code pushing} says they are being pushed now: an application that must push its
     * requests (RFC 9126 §6) refuses any other (Q4).
     */
    private AuthorizationRequest check(Map<String, List<String>> query, OAuthApplication client,
            String requestedRedirectUri, AuthorizationRequest.Pushed pushedRequest, boolean pushing) {
        String redirectUri = verifiedRedirectUri(client, requestedRedirectUri);
        Redirected fail = new Redirected(redirectUri, echoableState(query), issuer);
        if (pushedRequest == null && !pushing && client.requirePushedAuthorizationRequests) {
            throw fail.with(OAuthError.INVALID_REQUEST, "This application must push its authorization requests to "
                    + "the pushed authorization request endpoint, and send only client_id and request_uri here.");
        }
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
        OpenIdParameters openId;
        try {
            openId = OpenIdParameters.read(name -> value(query, name), client.clientId, hints);
        } catch (OAuthException e) {
            throw fail.with(e.error(), e.description());
        }
        return new AuthorizationRequest(client, redirectUri, requestedRedirectUri, scopes, fail.state(),
                codeChallenge, issuer, openId, pushedRequest);
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
