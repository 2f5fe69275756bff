package io.storeman.web;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.mutiny.Uni;
import io.storeman.common.ErrorFormat;
import io.storeman.common.FormEncoding;
import io.storeman.oauth.authorize.EndSessionRequests;
import io.storeman.oauth.authorize.EndSessionRequests.EndSessionRequest;
import io.storeman.oauth.authorize.EndSessionRequests.InvalidEndSessionRequest;
import io.storeman.session.Csrf;
import io.storeman.session.WebSessions;
import io.vertx.core.http.HttpServerRequest;
import jakarta.annotation.security.PermitAll;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.ParameterIn;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code /oauth/logout}, the end-session endpoint (OpenID Connect RP-Initiated Logout 1.0, docs/security.md O9). A
 * request whose verified {@code id_token_hint} names the signed-in user ends the session at once; any other request
 * from a signed-in browser gets a confirmation page whose form (with the session's CSRF token) posts back here, so
 * that another site's link, image or form cannot sign anyone out (X4). Ending deletes the session's row (every
 * instance reads sessions from PostgreSQL) and clears the cookie; the browser then goes to the registered
 * {@code post_logout_redirect_uri} with {@code state}, or sees a "You are signed out" page. A request whose client or
 * redirect URI is in doubt gets an error page, never a redirect.
 */
@ErrorFormat(ErrorFormat.Format.PAGE)
@Path("/oauth/logout")
@Tag(name = "OpenID Connect")
@PermitAll
public class EndSessionPage {

    /** The confirmation form's button; with {@link Csrf#FIELD}, it tells the form's post from a client's. */
    static final String CONFIRM = "confirm";

    /** What the confirmation page shows: the application that asks (null when none is named) and the form's fields. */
    public record Confirmation(String application, List<AuthorizePage.HiddenField> fields) {
    }

    /** The fields of the confirmation form, for the OpenAPI document. */
    @Schema(name = "EndSessionRequest")
    public record EndSessionFields(
            @Schema(name = "id_token_hint") String idTokenHint,
            @Schema(name = "client_id") String clientId,
            @Schema(name = "post_logout_redirect_uri") String postLogoutRedirectUri,
            String state,
            @Schema(name = "_csrf", description = "the confirmation form's CSRF token") String csrf,
            @Schema(description = "present on the confirmation form's post") String confirm) {
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance confirm(PageContext page, Confirmation confirmation);

        static native TemplateInstance signedOut(PageContext page);
    }

    private final EndSessionRequests requests;
    private final WebSessions sessions;
    private final PageErrorWriter errors;

    EndSessionPage(EndSessionRequests requests, WebSessions sessions, PageErrorWriter errors) {
        this.requests = requests;
        this.sessions = sessions;
        this.errors = errors;
    }

    @GET
    @Produces(MediaType.TEXT_HTML)
    @Operation(summary = "End the session (OpenID Connect RP-Initiated Logout, browser)", description = "Ends the "
            + "web session at once when id_token_hint is an ID token of this server naming the signed-in user; "
            + "otherwise a signed-in browser is asked first. Then redirects to post_logout_redirect_uri (which must "
            + "equal one the client registered; the client is named by client_id or the hint's aud) with state, or "
            + "shows a signed-out page. logout_hint and ui_locales are accepted and ignored.")
    @Parameter(name = "id_token_hint", in = ParameterIn.QUERY, description = "an ID token this server issued; "
            + "its expiry does not matter")
    @Parameter(name = "client_id", in = ParameterIn.QUERY, description = "must be the hint's aud when both are sent")
    @Parameter(name = "post_logout_redirect_uri", in = ParameterIn.QUERY,
            description = "exactly one of the client's post_logout_redirect_uris")
    @Parameter(name = "state", in = ParameterIn.QUERY, description = "echoed on the redirect")
    @Parameter(name = "logout_hint", in = ParameterIn.QUERY, description = "ignored")
    @Parameter(name = "ui_locales", in = ParameterIn.QUERY, description = "ignored")
    @APIResponse(responseCode = "200", description = "The confirmation page, or the signed-out page (HTML; "
            + "Cache-Control: no-store)", content = @Content(mediaType = MediaType.TEXT_HTML))
    @APIResponse(responseCode = "302", description = "To post_logout_redirect_uri with state, the session ended")
    @APIResponse(responseCode = "400", description = "Error page: a hint this server did not issue, a client_id "
            + "other than the hint's, an unknown client, an unregistered post_logout_redirect_uri; never a redirect",
            content = @Content(mediaType = MediaType.TEXT_HTML))
    public Uni<Response> ask(@Context HttpServerRequest request, @Context UriInfo uri) {
        if (!FormEncoding.isWellFormedQuery(request.query())) {
            return refused(new InvalidEndSessionRequest("The request's query is not well-formed UTF-8."), request);
        }
        return handle(request, uri.getQueryParameters(), 302);
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    @Operation(summary = "End the session (OpenID Connect RP-Initiated Logout, browser form)", description = "A "
            + "client's logout request sent as a form, answered as GET; or the confirmation page's form (with _csrf "
            + "and confirm), which ends the session only with the session's CSRF token.")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_FORM_URLENCODED,
            schema = @Schema(implementation = EndSessionFields.class)))
    @APIResponse(responseCode = "200", description = "The confirmation page, or the signed-out page",
            content = @Content(mediaType = MediaType.TEXT_HTML))
    @APIResponse(responseCode = "303", description = "To post_logout_redirect_uri with state, the session ended")
    @APIResponse(responseCode = "400", description = "Error page, as for GET; never a redirect",
            content = @Content(mediaType = MediaType.TEXT_HTML))
    @APIResponse(responseCode = "403", description = "Error page: the confirmation form without the session's CSRF "
            + "token; the session stays", content = @Content(mediaType = MediaType.TEXT_HTML))
    public Uni<Response> post(@Context HttpServerRequest request, MultivaluedMap<String, String> form) {
        Map<String, List<String>> parameters = new LinkedHashMap<>(form);
        if (!parameters.containsKey(Csrf.FIELD) && !parameters.containsKey(CONFIRM)) {
            return handle(request, parameters, 303);
        }
        List<String> csrf = parameters.remove(Csrf.FIELD);
        parameters.remove(CONFIRM);
        return requests.validate(parameters)
                .chain(logout -> sessions.find(request).chain(signedIn -> {
                    if (signedIn == null) {
                        return Uni.createFrom().item(finish(logout, 303, request));
                    }
                    if (csrf == null || csrf.size() != 1 || !Csrf.matches(signedIn.sessionToken(), csrf.get(0))) {
                        return errors.show(403, "Form expired", "This form was not sent from the current page of "
                                + "your session, so you are still signed in. Go back, reload the page and try again.",
                                request).map(AuthorizePage::guarded);
                    }
                    return end(logout, 303, request);
                }))
                .onFailure(InvalidEndSessionRequest.class)
                .recoverWithUni(failure -> refused((InvalidEndSessionRequest) failure, request));
    }

    /** A client's request: end at once when the hint names the signed-in user, ask when someone else is signed in. */
    private Uni<Response> handle(HttpServerRequest request, Map<String, List<String>> parameters, int status) {
        return requests.validate(parameters)
                .chain(logout -> sessions.find(request).chain(signedIn -> {
                    if (signedIn == null) {
                        return Uni.createFrom().item(finish(logout, status, request));
                    }
                    if (requests.endsAtOnce(logout, signedIn.user().id)) {
                        return end(logout, status, request);
                    }
                    return Uni.createFrom().item(confirmation(signedIn, logout));
                }))
                .onFailure(InvalidEndSessionRequest.class)
                .recoverWithUni(failure -> refused((InvalidEndSessionRequest) failure, request));
    }

    private Uni<Response> end(EndSessionRequest logout, int status, HttpServerRequest request) {
        return sessions.end(WebSessions.cookieValue(request, WebSessions.COOKIE))
                .map(done -> finish(logout, status, request));
    }

    /** The answer once no session is left: the redirect to the client, or the signed-out page; the cookie cleared. */
    private Response finish(EndSessionRequest logout, int status, HttpServerRequest request) {
        Response.ResponseBuilder response = logout.redirect()
                .map(target -> Response.status(status).location(target))
                .orElseGet(() -> Response.ok(Templates.signedOut(PageContext.anonymous(null, null)))
                        .type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8")));
        if (WebSessions.cookieValue(request, WebSessions.COOKIE) != null) {
            response.header(HttpHeaders.SET_COOKIE, sessions.endedSessionCookie());
        }
        return AuthorizePage.guarded(response, null).build();
    }

    /**
     * The question, for a signed-in browser whose request does not prove that the client knows who is signed in. The
     * form's answer may redirect to the client, so that origin is a permitted form target as well as this server.
     */
    private static Response confirmation(WebSessions.SignedIn signedIn, EndSessionRequest logout) {
        List<AuthorizePage.HiddenField> fields = logout.confirmationFields().entrySet().stream()
                .map(field -> new AuthorizePage.HiddenField(field.getKey(), field.getValue()))
                .toList();
        Confirmation confirmation = new Confirmation(logout.client() == null ? null : logout.client().name, fields);
        Response.ResponseBuilder page = Response.ok(Templates.confirm(PageContext.focused(signedIn), confirmation))
                .type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"));
        String targets = logout.postLogoutRedirectUri() == null
                ? null
                : AuthorizePage.formTargets(logout.postLogoutRedirectUri());
        return AuthorizePage.guarded(page, targets).build();
    }

    private Uni<Response> refused(InvalidEndSessionRequest failure, HttpServerRequest request) {
        return errors.show(400, "Invalid sign-out request", failure.description(), request)
                .map(AuthorizePage::guarded);
    }

}
