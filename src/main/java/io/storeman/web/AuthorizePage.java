package io.storeman.web;

import jakarta.annotation.security.PermitAll;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.mutiny.Uni;
import io.storeman.common.ErrorFormat;
import io.storeman.common.FormEncoding;
import io.storeman.common.TextInput;
import io.storeman.oauth.OAuthError;
import io.storeman.oauth.authorize.AuthorizationRequest;
import io.storeman.oauth.authorize.AuthorizationRequests;
import io.storeman.oauth.authorize.InvalidAuthorizationRequest;
import io.storeman.session.Csrf;
import io.storeman.session.WebSessions;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.ParameterIn;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code /oauth/authorize} in the browser (RFC 6749 §4.1.1-§4.1.2, RFC 7636): {@code GET} validates the request,
 * signs the user in through the sign-in page when needed, and either redirects at once (consent already given for
 * every requested scope) or shows the consent page; its form posts back here with the request's parameters and the
 * session's CSRF token, and {@code POST} answers the user's "Authorize" or "Deny" with the redirect to the client.
 * A request whose client or redirect URI is in doubt gets an error page here, never a redirect.
 */
@ErrorFormat(ErrorFormat.Format.PAGE)
@Path("/oauth/authorize")
@Tag(name = "OAuth")
@PermitAll
public class AuthorizePage {

    static final String DECISION = "decision";
    static final String AUTHORIZE = "authorize";
    static final String DENY = "deny";
    private static final String PAGE_POLICY = "default-src 'none'; style-src 'self'; script-src 'self';"
            + " img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";
    private static final String FETCH_SITE = "Sec-Fetch-Site";
    private static final String SAME_ORIGIN = "same-origin";
    private static final Pattern CSP_HOST = Pattern.compile("[A-Za-z0-9.-]{1,253}");

    /** A hidden field of the consent form: one parameter of the authorization request. */
    public record HiddenField(String name, String value) {
    }

    /**
     * What the consent page shows, and what its form carries back: what the user decides on (the application's name,
     * the scopes in words, the host the answer goes to), and nothing about the account that registered the
     * application, whose e-mail is none of the user's business (P2). The device page ({@link DevicePage}) shows the
     * same page, posting to itself ({@code action}), with the user code in place of a destination (G7).
     */
    public record ConsentView(String application, List<String> scopes, String destination,
            List<HiddenField> fields, String request, String action, String userCode) {

        /** The application's first letter, for its badge. */
        public String initial() {
            String name = TextInput.strip(application);
            return name.isEmpty() ? "?" : name.substring(0, name.offsetByCodePoints(0, 1)).toUpperCase();
        }

        static ConsentView of(AuthorizationRequest request) {
            return new ConsentView(request.client().name, request.scopeDescriptions(),
                    hostOf(request.redirectUri()),
                    request.carried().entrySet().stream()
                            .map(parameter -> new HiddenField(parameter.getKey(), parameter.getValue()))
                            .toList(),
                    WebForms.safeNext(requestPath(request)), "/oauth/authorize", null);
        }
    }

    /** The fields of the consent form, for the OpenAPI document (the form is read as a whole). */
    @Schema(name = "AuthorizationDecision")
    public record DecisionFields(
            @Schema(required = true, enumeration = {AUTHORIZE, DENY}) String decision,
            @Schema(name = "_csrf", required = true, description = "the CSRF token of the consent page") String csrf,
            @Schema(name = "response_type", required = true, enumeration = "code") String responseType,
            @Schema(name = "client_id", required = true) String clientId,
            @Schema(name = "redirect_uri") String redirectUri,
            @Schema(description = "space-separated scopes") String scope, String state,
            @Schema(name = "code_challenge", required = true) String codeChallenge,
            @Schema(name = "code_challenge_method", required = true, enumeration = "S256")
            String codeChallengeMethod,
            String nonce, String prompt, @Schema(name = "max_age") String maxAge,
            @Schema(name = "login_hint") String loginHint, @Schema(name = "id_token_hint") String idTokenHint,
            String display, @Schema(name = "response_mode") String responseMode,
            @Schema(name = "request_uri", description = "a pushed request's reference (RFC 9126): then the form "
                    + "carries only it and client_id, and the answer uses it up") String requestUri) {
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance consent(PageContext page, ConsentView consent);
    }

    private final AuthorizationRequests requests;
    private final WebSessions sessions;
    private final WebForms forms;
    private final PageErrorWriter errors;

    AuthorizePage(AuthorizationRequests requests, WebSessions sessions, WebForms forms, PageErrorWriter errors) {
        this.requests = requests;
        this.sessions = sessions;
        this.forms = forms;
        this.errors = errors;
    }

    @GET
    @Produces(MediaType.TEXT_HTML)
    @Operation(summary = "Start an authorization (browser)", description = "RFC 6749 §4.1.1 authorization request "
            + "with RFC 7636 PKCE (S256 only, required from every client). Signs the user in through "
            + "/users/sign_in when needed, then shows the consent page, or redirects at once when the user has "
            + "already consented to every requested scope (unless the browser comes from one of this server's own "
            + "pages, Sec-Fetch-Site: same-origin, as right after sign-in, or prompt asks otherwise). OpenID "
            + "Connect Core 1.0 §3.1.2.1 parameters as below; other unknown parameters are ignored. Errors go to "
            + "the redirect URI (error, error_description, state, iss) once the client and redirect URI are known "
            + "good; otherwise an error page is shown here.")
    @Parameter(name = "response_type", in = ParameterIn.QUERY, required = true,
            schema = @Schema(enumeration = "code"))
    @Parameter(name = "client_id", in = ParameterIn.QUERY, required = true)
    @Parameter(name = "redirect_uri", in = ParameterIn.QUERY,
            description = "must equal the registered redirect URI exactly; the registered one when omitted")
    @Parameter(name = "scope", in = ParameterIn.QUERY, description = "space-separated scopes; default public")
    @Parameter(name = "state", in = ParameterIn.QUERY, description = "echoed on the redirect")
    @Parameter(name = "code_challenge", in = ParameterIn.QUERY, required = true,
            description = "BASE64URL(SHA-256(code_verifier))")
    @Parameter(name = "code_challenge_method", in = ParameterIn.QUERY, required = true,
            schema = @Schema(enumeration = "S256"))
    @Parameter(name = "nonce", in = ParameterIn.QUERY, description = "OpenID Connect: echoed exactly in the ID "
            + "token (at most 512 characters)")
    @Parameter(name = "prompt", in = ParameterIn.QUERY, description = "OpenID Connect: space-separated; none "
            + "(alone: never a page, login_required or consent_required on the redirect instead), login (sign in "
            + "again), consent (ask again), select_account (the consent page, which names the account and offers "
            + "to switch it)")
    @Parameter(name = "max_age", in = ParameterIn.QUERY, description = "OpenID Connect: seconds; a sign-in older "
            + "than this must be repeated (0: always); the ID token's auth_time says when it was",
            schema = @Schema(type = SchemaType.INTEGER, minimum = "0", maximum = "999999999"))
    @Parameter(name = "login_hint", in = ParameterIn.QUERY, description = "OpenID Connect: prefills the sign-in "
            + "form's e-mail (at most 254 characters)")
    @Parameter(name = "id_token_hint", in = ParameterIn.QUERY, description = "OpenID Connect: an ID token this "
            + "server issued to the application; with prompt=none, another signed-in user is login_required; one "
            + "that does not verify is invalid_request")
    @Parameter(name = "display", in = ParameterIn.QUERY, description = "OpenID Connect: every value is shown as a "
            + "page", schema = @Schema(enumeration = {"page", "popup", "touch", "wap"}))
    @Parameter(name = "response_mode", in = ParameterIn.QUERY, schema = @Schema(enumeration = "query"))
    @Parameter(name = "request", in = ParameterIn.QUERY, description = "not supported: request_not_supported")
    @Parameter(name = "request_uri", in = ParameterIn.QUERY, description = "a request_uri from POST /oauth/par "
            + "(RFC 9126) with client_id: the pushed parameters are used and every other one here ignored; "
            + "unknown, expired, used or another application's: invalid_request_uri on the registered redirect URI. "
            + "Any other request_uri: request_uri_not_supported")
    @Parameter(name = "registration", in = ParameterIn.QUERY,
            description = "not supported: registration_not_supported")
    @Parameter(name = "claims", in = ParameterIn.QUERY, description = "not supported: invalid_request")
    @APIResponse(responseCode = "200", description = "The consent page (HTML; Cache-Control: no-store; not "
            + "frameable)", content = @Content(mediaType = MediaType.TEXT_HTML))
    @APIResponse(responseCode = "302", description = "To the redirect URI: with code, state and iss when consent "
            + "was already given; with error and state for an invalid request from a known client and redirect URI")
    @APIResponse(responseCode = "303", description = "To /users/sign_in (with login_hint, and prompt=login when "
            + "a signed-in user must sign in again), which returns here after sign-in")
    @APIResponse(responseCode = "400", description = "Error page: unknown client, redirect URI not registered, "
            + "malformed client_id or redirect_uri; never a redirect", content = @Content(mediaType = MediaType.TEXT_HTML))
    public Uni<Response> ask(@Context HttpServerRequest request, @Context UriInfo uri) {
        if (!FormEncoding.isWellFormedQuery(request.query())) {
            // The lenient decoder behind getQueryParameters() turns broken UTF-8 into U+FFFD (L8).
            return refused(new InvalidAuthorizationRequest(OAuthError.INVALID_REQUEST,
                    "The request's query is not well-formed UTF-8.", null), request, 302);
        }
        // From one of our own pages (Fetch Metadata same-origin), as at the end of the sign-in form's redirects, a
        // consented request still shows the consent page: the sign-in page's policy lets its form lead only to this
        // server (form-action 'self'), so browsers would block a redirect on to the client; the consent form may.
        boolean fromOwnPage = SAME_ORIGIN.equals(request.getHeader(FETCH_SITE));
        return requests.validate(uri.getQueryParameters())
                .chain(authorization -> sessions.find(request)
                        .chain(signedIn -> requests.next(authorization, signedIn, fromOwnPage)
                                .map(next -> switch (next.step()) {
                                    case SIGN_IN -> signInFirst(authorization, signedIn != null);
                                    case CONSENT -> consentPage(signedIn, authorization);
                                    case REDIRECT -> redirect(302, next.redirect());
                                })))
                .onFailure(InvalidAuthorizationRequest.class)
                .recoverWithUni(failure -> refused((InvalidAuthorizationRequest) failure, request, 302));
    }


    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    @Operation(summary = "Answer an authorization (browser)", description = "The consent page's form: the "
            + "authorization request's parameters, the session's CSRF token and decision=authorize or deny. "
            + "Needs the web session. The request is validated again before the answer; a pushed request's reference "
            + "is used up by it (a second answer is invalid_request_uri).")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_FORM_URLENCODED,
            schema = @Schema(implementation = DecisionFields.class)))
    @APIResponse(responseCode = "303", description = "To the redirect URI with code, state and iss (authorize) or "
            + "error=access_denied and state (deny); to /users/sign_in without a session")
    @APIResponse(responseCode = "400", description = "Error page: invalid decision, or a request whose client or "
            + "redirect URI is in doubt", content = @Content(mediaType = MediaType.TEXT_HTML))
    @APIResponse(responseCode = "403", description = "Error page: missing or wrong CSRF token",
            content = @Content(mediaType = MediaType.TEXT_HTML))
    public Uni<Response> decide(@Context HttpServerRequest request, MultivaluedMap<String, String> form) {
        Map<String, List<String>> query = new LinkedHashMap<>(form);
        String csrf = single(query.remove(Csrf.FIELD));
        String decision = single(query.remove(DECISION));
        return forms.signedInForm(request, csrf)
                .chain(signedIn -> requests.validate(query)
                        .chain(authorization -> answer(signedIn, authorization, decision, request)))
                .onFailure(InvalidAuthorizationRequest.class)
                .recoverWithUni(failure -> refused((InvalidAuthorizationRequest) failure, request, 303));
    }

    private Uni<Response> answer(WebSessions.SignedIn signedIn, AuthorizationRequest authorization, String decision,
            HttpServerRequest request) {
        if (AUTHORIZE.equals(decision)) {
            return requests.approve(signedIn, authorization).map(target -> redirect(303, target));
        }
        if (DENY.equals(decision)) {
            return requests.deny(authorization).map(target -> redirect(303, target));
        }
        return errors.show(400, "Choose Authorize or Deny", "The form did not say whether to authorize the "
                + "application. Go back, reload the page and choose again.", request).map(AuthorizePage::guarded);
    }

    private static Response consentPage(WebSessions.SignedIn signedIn, AuthorizationRequest authorization) {
        TemplateInstance page = Templates.consent(PageContext.focused(signedIn), ConsentView.of(authorization));
        return guarded(Response.ok(page).type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8")),
                formTargets(authorization.redirectUri())).build();
    }

    /**
     * The sign-in page, told to come back to this request once the user has signed in (without what that sign-in
     * satisfies: {@code prompt=login}, {@code max_age}); its "Sign up" link carries the request on (X5). With
     * {@code again} it shows its form even to a signed-in browser ({@code prompt=login}, or a session older than
     * {@code max_age}). The request's {@code login_hint} prefills the e-mail.
     */
    private static Response signInFirst(AuthorizationRequest authorization, boolean again) {
        StringBuilder target = new StringBuilder(WebForms.signInPage(requestPath(authorization), null).toString());
        char separator = target.indexOf("?") < 0 ? '?' : '&';
        if (again) {
            target.append(separator).append("prompt=login");
            separator = '&';
        }
        String loginHint = authorization.openId().loginHint();
        if (loginHint != null) {
            target.append(separator).append("login_hint=").append(encode(loginHint));
        }
        return guarded(Response.seeOther(URI.create(target.toString())), null).build();
    }

    /**
     * This request as a path on this server, to come back to after sign-in, sign-up or "Switch account": the request
     * as it stands once the user has signed in ({@link AuthorizationRequest#signedIn()}), so that it does not send
     * them to sign in again.
     */
    static String requestPath(AuthorizationRequest authorization) {
        StringBuilder path = new StringBuilder("/oauth/authorize");
        char separator = '?';
        for (Map.Entry<String, String> parameter : authorization.signedIn().carried().entrySet()) {
            path.append(separator).append(parameter.getKey()).append('=').append(encode(parameter.getValue()));
            separator = '&';
        }
        return path.toString();
    }

    /** Redirects to the client when it and its redirect URI are known good, else the error page here. */
    private Uni<Response> refused(InvalidAuthorizationRequest failure, HttpServerRequest request, int status) {
        return failure.redirect()
                .map(target -> Uni.createFrom().item(redirect(status, target)))
                .orElseGet(() -> errors.show(400, "Invalid authorization request", failure.description(), request)
                        .map(AuthorizePage::guarded));
    }

    private static Response redirect(int status, URI target) {
        return guarded(Response.status(status).location(target), null).build();
    }

    /**
     * Nothing of the flow may be cached or framed (clickjacking the "Authorize" button). The consent form's answer
     * redirects to the client, so its origin is a permitted form target as well as this server. The end-session page
     * ({@link EndSessionPage}) is guarded the same way.
     */
    static Response.ResponseBuilder guarded(Response.ResponseBuilder response, String formTargets) {
        return response.header(HttpHeaders.CACHE_CONTROL, null)
                .header(HttpHeaders.CACHE_CONTROL, "no-store")
                .header("Pragma", "no-cache")
                .header("Content-Security-Policy", formTargets == null ? PAGE_POLICY : PAGE_POLICY + " "
                        + formTargets);
    }

    static Response guarded(Response response) {
        return guarded(Response.fromResponse(response), null).build();
    }

    /** The CSP source of the redirect URI's origin ({@code https://host:port}), or null when it cannot be one. */
    static String formTargets(String redirectUri) {
        try {
            URI uri = new URI(redirectUri);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase();
            if (!scheme.equals("https") && !scheme.equals("http")) {
                return null;
            }
            if (uri.getHost() == null || !CSP_HOST.matcher(uri.getHost()).matches()) {
                return scheme + ":";
            }
            return scheme + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort());
        } catch (java.net.URISyntaxException e) {
            return null;
        }
    }

    /** Where "Authorize" sends the browser, as the page names it: the redirect URI's host. */
    private static String hostOf(String redirectUri) {
        try {
            String host = new URI(redirectUri).getHost();
            return host == null ? redirectUri : host;
        } catch (java.net.URISyntaxException e) {
            return redirectUri;
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** The only value of a form field; null when absent or sent more than once. */
    private static String single(List<String> values) {
        return values != null && values.size() == 1 ? values.get(0) : null;
    }
}
