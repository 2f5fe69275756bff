package io.storeman.web;

import jakarta.annotation.security.PermitAll;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.mutiny.Uni;
import io.storeman.account.UserService;
import io.storeman.common.ErrorFormat;
import io.storeman.common.ProblemException;
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
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestQuery;

/**
 * Creating an account, with the same rules as {@code POST /api/v1/users}. The new account is signed in at once, as a
 * sign-in would (a new session id, a new CSRF token), and the browser goes on to the pending request it came with
 * ({@code next}, checked as at sign-in): someone who meets "Authorize" before having an account comes back to the
 * consent page (X5). Without one, it lands on the account page.
 */
@ErrorFormat(ErrorFormat.Format.PAGE)
@Path("/users/sign_up")
@Produces(MediaType.TEXT_HTML)
@PermitAll
public class SignUpPage {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance form(PageContext page, String email, Map<String, String> errors);
    }

    private final WebSessions sessions;
    private final WebForms forms;
    private final UserService users;

    SignUpPage(WebSessions sessions, WebForms forms, UserService users) {
        this.sessions = sessions;
        this.forms = forms;
        this.users = users;
    }

    @GET
    public Uni<Response> form(@Context HttpServerRequest request, @RestQuery String next) {
        return sessions.find(request).map(signedIn -> signedIn != null
                ? Response.seeOther(URI.create(WebForms.safeNext(next))).build()
                : render(request, 200, "", Map.of(), next));
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> signUp(@Context HttpServerRequest request, @RestForm String email,
            @RestForm String password, @RestForm("password_confirmation") String confirmation,
            @RestForm(Csrf.FIELD) String csrf, @RestForm String next) {
        if (!Csrf.matches(WebSessions.cookieValue(request, WebSessions.PRE_SESSION_COOKIE), csrf)) {
            return Uni.createFrom().item(render(request, 403, email,
                    Map.of("form", "expired. Please fill it in again."), next));
        }
        if (password != null && !password.isEmpty() && !Objects.equals(password, confirmation)) {
            return Uni.createFrom().item(render(request, 400, email,
                    Map.of("password_confirmation", "does not match the password"), next));
        }
        return users.register(email, password)
                .chain(user -> forms.startSession(request, user.id, landing(next)))
                .onFailure(ProblemException.class).recoverWithItem(failure -> {
                    ProblemException problem = (ProblemException) failure;
                    Map<String, String> fields = new HashMap<>();
                    if (problem.problem().errors() != null) {
                        fields.putAll(problem.problem().errors());
                    } else if (problem.problem().status() == 409) {
                        fields.put("email", "is already registered; sign in instead");
                    } else {
                        fields.put("form", problem.problem().detail());
                    }
                    Response page = render(request, problem.problem().status(), email, fields, next);
                    return problem.retryAfter() == null
                            ? page
                            : Response.fromResponse(page).header("Retry-After", problem.retryAfter()).build();
                });
    }

    /** The pending request when there is one, else the account page with a welcome. */
    private static URI landing(String next) {
        String target = WebForms.safeNext(next);
        return target.equals(WebForms.ACCOUNT) ? WebForms.withNotice(target, Notice.SIGNED_UP) : URI.create(target);
    }

    private Response render(HttpServerRequest request, int status, String email, Map<String, String> fieldErrors,
            String next) {
        return forms.anonymousForm(request, status, csrf -> Templates.form(PageContext.anonymous(csrf, null, next),
                email == null ? "" : TextInput.strip(email), fieldErrors));
    }
}
