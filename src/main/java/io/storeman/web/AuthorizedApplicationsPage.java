package io.storeman.web;

import jakarta.annotation.security.PermitAll;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.mutiny.Uni;
import io.storeman.common.ErrorFormat;
import io.storeman.oauth.authorize.AuthorizedApplications;
import io.storeman.common.ProblemException;
import io.storeman.oauth.ScopeWords;
import io.storeman.session.Csrf;
import io.storeman.session.WebSessions;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestQuery;

/**
 * "Authorized applications": the applications that can act for this account, each with what it may do in the
 * consent page's words ({@link ScopeWords}). "Revoke" asks first, on a page of its own that says what stops working
 * (a link and a form, so it works without scripts under the pages' strict policy); the form's post answers with a
 * redirect to the list, so reloading the page that follows repeats nothing.
 */
@ErrorFormat(ErrorFormat.Format.PAGE)
@Path("/account/authorized_applications")
@Produces(MediaType.TEXT_HTML)
@PermitAll
public class AuthorizedApplicationsPage {

    private static final String BASE = "/account/authorized_applications";

    /** One authorized application as the pages show it: its permissions as sentences, not scope codes. */
    public record AuthorizationItem(String clientId, String name, List<String> permissions, String lastUsedAt) {

        static AuthorizationItem of(AuthorizedApplications.Authorization authorization) {
            return new AuthorizationItem(authorization.application().clientId, authorization.application().name,
                    ScopeWords.describe(authorization.scopes()), Dates.format(authorization.lastUsedAt()));
        }
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance list(PageContext page, List<AuthorizationItem> authorizations);

        static native TemplateInstance confirmRevoke(PageContext page, AuthorizationItem authorization);
    }

    private final WebForms forms;
    private final AuthorizedApplications authorizations;

    AuthorizedApplicationsPage(WebForms forms, AuthorizedApplications authorizations) {
        this.forms = forms;
        this.authorizations = authorizations;
    }

    @GET
    public Uni<TemplateInstance> list(@Context HttpServerRequest request, @RestQuery String notice) {
        return forms.signedIn(request)
                .chain(signedIn -> authorizations.list(signedIn.user().id)
                        .map(list -> Templates.list(page(signedIn, Notice.message(notice)),
                                list.stream().map(AuthorizationItem::of).toList())));
    }

    /** "Revoke", first step: what the application can do and what revoking stops; 404 for one that cannot act. */
    @GET
    @Path("/{client_id}/revoke")
    public Uni<TemplateInstance> confirmRevoke(@Context HttpServerRequest request,
            @PathParam("client_id") String clientId) {
        return forms.signedIn(request)
                .chain(signedIn -> authorizations.list(signedIn.user().id)
                        .map(list -> list.stream()
                                .filter(authorization -> authorization.application().clientId.equals(clientId))
                                .findFirst()
                                .map(AuthorizationItem::of)
                                .orElseThrow(ProblemException::notFound))
                        .map(item -> Templates.confirmRevoke(page(signedIn, null), item)));
    }

    /**
     * Revokes, and redirects to the list (post/redirect/get). An application that holds nothing any more, such as
     * after a second post of the same form, ends on the same notice.
     */
    @POST
    @Path("/{client_id}/revoke")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> revoke(@Context HttpServerRequest request, @PathParam("client_id") String clientId,
            @RestForm(Csrf.FIELD) String csrf) {
        return forms.signedInForm(request, csrf)
                .chain(signedIn -> authorizations.revoke(signedIn.user().id, clientId)
                        .onFailure(failure -> failure instanceof ProblemException problem
                                && problem.problem().status() == 404)
                        .recoverWithNull())
                .map(done -> Response.seeOther(WebForms.withNotice(BASE, Notice.AUTHORIZATION_REVOKED)).build());
    }

    private static PageContext page(WebSessions.SignedIn signedIn, String notice) {
        return PageContext.of(signedIn, "authorized", notice);
    }
}
