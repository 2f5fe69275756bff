package io.storeman.web;

import jakarta.annotation.security.PermitAll;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.mutiny.Uni;
import io.storeman.account.UserService;
import io.storeman.common.ErrorFormat;
import io.storeman.common.ProblemException;
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
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestQuery;

/** "Account & Settings": the account's e-mail and the password change form. */
@ErrorFormat(ErrorFormat.Format.PAGE)
@Path("/account")
@Produces(MediaType.TEXT_HTML)
@PermitAll
public class AccountPage {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance show(PageContext page, String email, String memberSince,
                Map<String, String> errors);
    }

    private final WebForms forms;
    private final UserService users;

    AccountPage(WebForms forms, UserService users) {
        this.forms = forms;
        this.users = users;
    }

    @GET
    public Uni<TemplateInstance> show(@Context HttpServerRequest request, @RestQuery String notice) {
        return forms.signedIn(request)
                .map(signedIn -> page(signedIn, Notice.message(notice), Map.of()));
    }

    @POST
    @Path("/password")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> changePassword(@Context HttpServerRequest request, @RestForm(Csrf.FIELD) String csrf,
            @RestForm("current_password") String currentPassword, @RestForm("new_password") String newPassword,
            @RestForm("new_password_confirmation") String confirmation) {
        return forms.signedInForm(request, csrf)
                .chain(signedIn -> {
                    if (newPassword != null && !newPassword.isEmpty() && !Objects.equals(newPassword, confirmation)) {
                        return Uni.createFrom().item(invalid(signedIn,
                                Map.of("new_password_confirmation", "does not match the new password")));
                    }
                    return users.changePassword(signedIn.user(), currentPassword, newPassword,
                                    signedIn.sessionToken())
                            .map(done -> Response.seeOther(WebForms.withNotice("/account", Notice.PASSWORD_CHANGED))
                                    .build())
                            .onFailure(ProblemException.class)
                            .recoverWithItem(failure -> invalid(signedIn, fieldErrors((ProblemException) failure)));
                });
    }

    private static TemplateInstance page(WebSessions.SignedIn signedIn, String notice, Map<String, String> errors) {
        return Templates.show(PageContext.of(signedIn, "account", notice), signedIn.user().email,
                Dates.format(signedIn.user().createdAt), errors);
    }

    private static Response invalid(WebSessions.SignedIn signedIn, Map<String, String> errors) {
        return Response.status(400).type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"))
                .entity(page(signedIn, null, errors)).build();
    }

    static Map<String, String> fieldErrors(ProblemException failure) {
        if (failure.problem().status() != 400 || failure.problem().errors() == null) {
            throw failure;
        }
        return new HashMap<>(failure.problem().errors());
    }
}
