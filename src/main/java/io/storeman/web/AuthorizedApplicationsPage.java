package io.storeman.web;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.mutiny.Uni;
import io.storeman.application.AuthorizedApplications;
import io.storeman.common.ProblemException;
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
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** "Authorized applications": the applications holding tokens for this account, each with "Revoke". */
@Path("/account/authorized_applications")
@Produces(MediaType.TEXT_HTML)
public class AuthorizedApplicationsPage {

    private static final String BASE = "/account/authorized_applications";

    /** One authorized application as the page shows it. */
    public record AuthorizationItem(String clientId, String name, List<String> scopes, String lastUsedAt) {

        static AuthorizationItem of(AuthorizedApplications.Authorization authorization) {
            return new AuthorizationItem(authorization.application().clientId, authorization.application().name,
                    authorization.scopes().values(), Dates.format(authorization.lastUsedAt()));
        }
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance list(PageContext page, List<AuthorizationItem> authorizations);
    }

    private final WebForms forms;
    private final AuthorizedApplications authorizations;
    private final WebErrors errors;

    AuthorizedApplicationsPage(WebForms forms, AuthorizedApplications authorizations, WebErrors errors) {
        this.forms = forms;
        this.authorizations = authorizations;
        this.errors = errors;
    }

    @GET
    public Uni<TemplateInstance> list(@Context HttpServerRequest request, @RestQuery String notice) {
        return forms.signedIn(request)
                .chain(signedIn -> authorizations.list(signedIn.user().id)
                        .map(list -> Templates.list(PageContext.of(signedIn, "authorized", Notice.message(notice)),
                                list.stream().map(AuthorizationItem::of).toList())));
    }

    /** Revokes; an application that holds nothing any more (a second click) ends on the same notice. */
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

    @ServerExceptionMapper
    public Uni<Response> failed(Throwable failure, HttpServerRequest request) {
        return errors.render(failure, request);
    }
}
