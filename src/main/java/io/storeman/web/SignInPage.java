package io.storeman.web;

import jakarta.annotation.security.PermitAll;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.mutiny.Uni;
import io.storeman.account.EmailAddress;
import io.storeman.account.PasswordAuthentication;
import io.storeman.account.PasswordPolicy;
import io.storeman.common.ErrorFormat;
import io.storeman.common.TextInput;
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
import jakarta.ws.rs.core.Response;
import java.net.URI;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestQuery;

/**
 * Sign in and sign out. The password is checked by {@link PasswordAuthentication}, the one place that checks
 * passwords, so failed sign-ins here count toward the same per-account and per-address limits as the password
 * grant, and a throttled attempt looks exactly like a wrong password. Each sign-in starts a new session (a session
 * id planted before sign-in is worthless) and ends the one the browser held before. Signing out takes a form post
 * with the session's CSRF token; {@code GET /users/sign_out} only shows that form (X4).
 */
@ErrorFormat(ErrorFormat.Format.PAGE)
@Path("/users")
@Produces(MediaType.TEXT_HTML)
@PermitAll
public class SignInPage {

    static final String INVALID = "Invalid e-mail or password.";
    /** Asks for the form even when signed in: an authorization request wants a new sign-in. */
    static final String PROMPT_LOGIN = "login";
    /** Longer than any e-mail address (L2): such a hint prefills nothing. */
    private static final int MAX_LOGIN_HINT = 254;

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance form(PageContext page, String email, String error);

        static native TemplateInstance signOut(PageContext page);
    }

    private final WebSessions sessions;
    private final WebForms forms;
    private final PasswordAuthentication passwords;

    SignInPage(WebSessions sessions, WebForms forms, PasswordAuthentication passwords) {
        this.sessions = sessions;
        this.forms = forms;
        this.passwords = passwords;
    }

    /**
     * The form; a signed-in browser goes on to {@code next} at once, unless an authorization request asks the user to
     * sign in again ({@code prompt=login}: OpenID Connect's {@code prompt=login} or {@code max_age}, O5). An
     * authorization request's {@code login_hint} prefills the e-mail, as given: nothing is looked up, so the page
     * looks the same whether an account has that address or not.
     */
    @GET
    @Path("/sign_in")
    public Uni<Response> form(@Context HttpServerRequest request, @RestQuery String next,
            @RestQuery String notice, @RestQuery String prompt, @RestQuery("login_hint") String loginHint) {
        String email = TextInput.isPlain(loginHint, MAX_LOGIN_HINT) ? loginHint : "";
        if (PROMPT_LOGIN.equals(prompt)) {
            return Uni.createFrom().item(render(request, 200, email, null, next, Notice.message(notice)));
        }
        return sessions.find(request).map(signedIn -> signedIn != null
                ? Response.seeOther(URI.create(WebForms.safeNext(next))).build()
                : render(request, 200, email, null, next, Notice.message(notice)));
    }

    @POST
    @Path("/sign_in")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> signIn(@Context HttpServerRequest request, @RestForm String email,
            @RestForm String password, @RestForm(Csrf.FIELD) String csrf, @RestForm String next) {
        String presetSecret = WebSessions.cookieValue(request, WebSessions.PRE_SESSION_COOKIE);
        if (!Csrf.matches(presetSecret, csrf)) {
            return Uni.createFrom().item(render(request, 403, email, "The form expired. Please sign in again.",
                    next, null));
        }
        if (TextInput.isBlank(email) || password == null || password.isEmpty()) {
            return Uni.createFrom().item(render(request, 400, email, "Enter your e-mail and password.", next, null));
        }
        if (!EmailAddress.isPossible(email) || !PasswordPolicy.isCheckable(password)) {
            // No account has these credentials: the same answer as a wrong password, without a hash or a write.
            return Uni.createFrom().item(render(request, 400, email, INVALID, next, null));
        }
        return signIn(email, password)
                .chain(userId -> userId == null
                        ? Uni.createFrom().item(render(request, 400, email, INVALID, next, null))
                        : forms.startSession(request, userId, URI.create(WebForms.safeNext(next))));
    }

    /**
     * The single check behind the sign-in form: the id of the user these credentials belong to, or null (wrong
     * password, unknown e-mail, or an account being throttled, all alike).
     */
    Uni<Long> signIn(String email, String password) {
        return passwords.authenticate(email, password, "web", null)
                .map(user -> user == null ? null : user.id);
    }

    /**
     * A link, a bookmark or a prefetch must not end a session, and another site can put this address in an image
     * (X4): the signed-in browser gets a page whose button posts the sign-out form, anyone else the sign-in page.
     */
    @GET
    @Path("/sign_out")
    public Uni<Response> confirmSignOut(@Context HttpServerRequest request) {
        return sessions.find(request).map(signedIn -> signedIn == null
                ? Response.seeOther(WebForms.signInPage(null, null)).build()
                : Response.ok(Templates.signOut(PageContext.of(signedIn, "", null)))
                        .type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8")).build());
    }

    /**
     * Ends the session and shows the sign-in page, which carries on to {@code next} when the form named a pending
     * request: "Not you? Switch account" on the consent page (X5).
     */
    @POST
    @Path("/sign_out")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> signOut(@Context HttpServerRequest request, @RestForm(Csrf.FIELD) String csrf,
            @RestForm String next) {
        String token = WebSessions.cookieValue(request, WebSessions.COOKIE);
        if (token != null && !Csrf.matches(token, csrf)) {
            throw new CsrfRejected();
        }
        return sessions.end(token).map(done -> Response
                .seeOther(WebForms.signInPage(next, Notice.SIGNED_OUT))
                .header(HttpHeaders.SET_COOKIE, sessions.endedSessionCookie())
                .build());
    }

    /** The form, with a pre-session CSRF secret in a cookie (a new one when the browser holds none). */
    private Response render(HttpServerRequest request, int status, String email, String error, String next,
            String notice) {
        return forms.anonymousForm(request, status, csrf -> Templates.form(PageContext.anonymous(csrf, notice, next),
                email == null ? "" : TextInput.strip(email), error));
    }
}
