package io.storeman.web;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.mutiny.Uni;
import io.storeman.common.ErrorFormat;
import io.storeman.oauth.ScopeWords;
import io.storeman.oauth.authorize.DeviceAuthorizationStore;
import io.storeman.oauth.authorize.DeviceAuthorizations;
import io.storeman.security.ClientAddress;
import io.storeman.session.Csrf;
import io.storeman.session.WebSessions;
import io.vertx.core.http.HttpServerRequest;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code /device}, RFC 8628's verification URI: the signed-in user enters the code a device shows (prefilled from
 * {@code user_code}, as {@code verification_uri_complete} opens it), sees the consent page of the code flow for the
 * device's application, with the code to compare (G7), and approves or denies. Every form carries the session's CSRF
 * token; every entry of a code is throttled (G4) and a code that cannot be used gets one answer, whatever the reason
 * (G3). A browser that is not signed in signs in first and comes back here.
 */
@ErrorFormat(ErrorFormat.Format.PAGE)
@Path(DevicePage.PATH)
@Tag(name = "OAuth")
@PermitAll
public class DevicePage {

    static final String PATH = "/device";
    static final String USER_CODE = "user_code";
    private static final String INVALID = "The code is invalid or has expired. Check the code your device shows, or "
            + "start again on the device.";

    /** The fields of the device page's forms, for the OpenAPI document (the form is read as a whole). */
    @Schema(name = "DeviceDecision")
    public record DeviceFields(
            @Schema(name = "_csrf", required = true, description = "the CSRF token of the page") String csrf,
            @Schema(name = "user_code", required = true, description = "the code the device shows, XXXX-XXXX")
            String userCode,
            @Schema(description = "absent: look the code up and show the consent page",
                    enumeration = {AuthorizePage.AUTHORIZE, AuthorizePage.DENY}) String decision) {
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance enter(PageContext page, String userCode, String error);

        static native TemplateInstance done(PageContext page, boolean approved, String application);
    }

    private final DeviceAuthorizations devices;
    private final WebSessions sessions;
    private final WebForms forms;

    DevicePage(DeviceAuthorizations devices, WebSessions sessions, WebForms forms) {
        this.devices = devices;
        this.sessions = sessions;
        this.forms = forms;
    }

    @GET
    @Produces(MediaType.TEXT_HTML)
    @Operation(summary = "Enter a device's code (browser)", description = "RFC 8628 §3.3 verification URI. Signs "
            + "the user in through /users/sign_in first, which returns here.")
    @Parameter(name = USER_CODE, description = "prefills the form (verification_uri_complete)")
    @APIResponse(responseCode = "200", description = "The form (HTML; Cache-Control: no-store; not frameable)",
            content = @Content(mediaType = MediaType.TEXT_HTML))
    @APIResponse(responseCode = "303", description = "To /users/sign_in, which returns here after sign-in")
    public Uni<Response> show(@Context HttpServerRequest request, @QueryParam(USER_CODE) String userCode) {
        String code = DeviceAuthorizations.displayable(userCode);
        return sessions.find(request).map(signedIn -> signedIn == null
                ? AuthorizePage.guarded(Response.seeOther(WebForms.signInPage(
                        code.isEmpty() ? PATH : PATH + "?" + USER_CODE + "=" + code, null)), null).build()
                : page(200, Templates.enter(PageContext.focused(signedIn), code, null)));
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    @Operation(summary = "Answer a device's request (browser)", description = "Without decision: looks the code "
            + "up and shows the consent page; with decision=authorize or deny: answers the device's request. Needs "
            + "the web session and its CSRF token. Every entry of a code counts against the user's and the "
            + "address's attempts.")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_FORM_URLENCODED,
            schema = @Schema(implementation = DeviceFields.class)))
    @APIResponse(responseCode = "200", description = "The consent page, or the page saying the device is connected "
            + "or denied", content = @Content(mediaType = MediaType.TEXT_HTML))
    @APIResponse(responseCode = "303", description = "To /users/sign_in without a session")
    @APIResponse(responseCode = "400", description = "The form again: the code is invalid or has expired (or was "
            + "decided already), or the decision is neither authorize nor deny",
            content = @Content(mediaType = MediaType.TEXT_HTML))
    @APIResponse(responseCode = "403", description = "Error page: missing or wrong CSRF token",
            content = @Content(mediaType = MediaType.TEXT_HTML))
    @APIResponse(responseCode = "429", description = "The form again: too many codes entered (Retry-After)",
            content = @Content(mediaType = MediaType.TEXT_HTML))
    public Uni<Response> submit(@Context HttpServerRequest request, MultivaluedMap<String, String> form) {
        String csrf = single(form.get(Csrf.FIELD));
        String userCode = single(form.get(USER_CODE));
        String decision = single(form.get(AuthorizePage.DECISION));
        String address = ClientAddress.current().key();
        return forms.signedInForm(request, csrf).chain(signedIn -> answer(signedIn, userCode, decision, address)
                .onFailure(DeviceAuthorizations.UserCodeRefused.class)
                .recoverWithItem(failure -> refused(signedIn, userCode,
                        (DeviceAuthorizations.UserCodeRefused) failure)));
    }

    private Uni<Response> answer(WebSessions.SignedIn signedIn, String userCode, String decision, String address) {
        long userId = signedIn.user().id;
        if (decision == null) {
            return devices.find(userId, address, userCode)
                    .map(pending -> consentPage(signedIn, pending, DeviceAuthorizations.displayable(userCode)));
        }
        boolean approve = AuthorizePage.AUTHORIZE.equals(decision);
        if (!approve && !AuthorizePage.DENY.equals(decision)) {
            return Uni.createFrom().item(page(400, Templates.enter(PageContext.focused(signedIn),
                    DeviceAuthorizations.displayable(userCode), "Choose Authorize or Deny.")));
        }
        return devices.decide(userId, signedIn.signedInAt(), address, userCode, approve)
                .map(pending -> page(200, Templates.done(PageContext.of(signedIn, null, null), approve,
                        pending.application())));
    }

    private static Response consentPage(WebSessions.SignedIn signedIn, DeviceAuthorizationStore.Pending pending,
            String userCode) {
        AuthorizePage.ConsentView consent = new AuthorizePage.ConsentView(pending.application(),
                ScopeWords.describe(pending.scope()), null,
                List.of(new AuthorizePage.HiddenField(USER_CODE, userCode)),
                WebForms.safeNext(PATH + "?" + USER_CODE + "=" + userCode), PATH, userCode);
        return page(200, AuthorizePage.Templates.consent(PageContext.focused(signedIn), consent));
    }

    /** The form again, with the one sentence for every unusable code, or how long to wait. */
    private static Response refused(WebSessions.SignedIn signedIn, String userCode,
            DeviceAuthorizations.UserCodeRefused failure) {
        if (failure.throttled()) {
            long minutes = Math.max(1, TimeUnit.SECONDS.toMinutes(failure.retryAfterSeconds() + 59));
            Response response = page(429, Templates.enter(PageContext.focused(signedIn),
                    DeviceAuthorizations.displayable(userCode), "Too many codes entered. Try again in " + minutes
                            + (minutes == 1 ? " minute." : " minutes.")));
            return Response.fromResponse(response)
                    .header("Retry-After", Long.toString(failure.retryAfterSeconds())).build();
        }
        return page(400, Templates.enter(PageContext.focused(signedIn), DeviceAuthorizations.displayable(userCode),
                INVALID));
    }

    /** Nothing of the flow may be cached or framed, as on the consent page of the code flow. */
    private static Response page(int status, TemplateInstance page) {
        return AuthorizePage.guarded(Response.status(status).entity(page)
                .type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8")), null).build();
    }

    /** The only value of a form field; null when absent or sent more than once. */
    private static String single(List<String> values) {
        return values != null && values.size() == 1 ? values.get(0) : null;
    }
}
