package io.storeman.web;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.mutiny.Uni;
import io.storeman.application.ApplicationService;
import io.storeman.application.OAuthApplication;
import io.storeman.common.ProblemException;
import io.storeman.oauth.Scope;
import io.storeman.oauth.Scopes;
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
import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestQuery;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * "OAuth applications": the list, the new and edit forms, the application's page (Client ID always, the Client
 * secret only in the answer that created or regenerated it), delete with a confirmation page, secret regeneration.
 */
@Path("/account/oauth/applications")
@Produces(MediaType.TEXT_HTML)
public class ApplicationPages {

    static final String SECTION = "applications";
    /** The values of the form's {@code type} field; anything else is refused, not taken as confidential. */
    private static final Set<String> TYPES = Set.of("confidential", "public");
    private static final String BASE = "/account/oauth/applications";

    /** An application as the pages show it. */
    public record ApplicationItem(long id, String name, String clientId, boolean confidential, List<String> scopes,
            String redirectUri, String createdAt) {

        static ApplicationItem of(OAuthApplication application) {
            return new ApplicationItem(application.id, application.name, application.clientId,
                    application.confidential, Scopes.parseStored(application.scopes).values(),
                    application.redirectUri, Dates.format(application.createdAt));
        }
    }

    /** One scope checkbox. */
    public record ScopeOption(String value, String description, boolean checked) {
    }

    /** What the new and edit forms show: the values entered so far. */
    public record ApplicationForm(Long id, String name, String redirectUri, boolean confidential,
            List<ScopeOption> scopes) {

        public boolean isNew() {
            return id == null;
        }
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance list(PageContext page, List<ApplicationItem> applications);

        static native TemplateInstance form(PageContext page, ApplicationForm form, Map<String, String> errors);

        static native TemplateInstance show(PageContext page, ApplicationItem application, String secret);

        static native TemplateInstance confirmDelete(PageContext page, ApplicationItem application);
    }

    private final WebForms forms;
    private final ApplicationService applications;
    private final WebErrors errors;

    ApplicationPages(WebForms forms, ApplicationService applications, WebErrors errors) {
        this.forms = forms;
        this.applications = applications;
        this.errors = errors;
    }

    @GET
    public Uni<TemplateInstance> list(@Context HttpServerRequest request, @RestQuery String notice) {
        return forms.signedIn(request)
                .chain(signedIn -> applications.list(signedIn.user().id)
                        .map(list -> Templates.list(PageContext.of(signedIn, SECTION, Notice.message(notice)),
                                list.stream().map(ApplicationItem::of).toList())));
    }

    @GET
    @Path("/new")
    public Uni<TemplateInstance> newForm(@Context HttpServerRequest request) {
        return forms.signedIn(request)
                .map(signedIn -> Templates.form(PageContext.of(signedIn, SECTION, null),
                        new ApplicationForm(null, "", "", true, options(List.of())), Map.of()));
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> create(@Context HttpServerRequest request, @RestForm(Csrf.FIELD) String csrf,
            @RestForm String name, @RestForm("redirect_uri") String redirectUri, @RestForm String type,
            @RestForm("scopes") List<String> scopes) {
        boolean confidential = !"public".equals(type);
        if (type != null && !TYPES.contains(type)) {
            return forms.signedInForm(request, csrf).map(signedIn -> html(400, Templates.form(
                    PageContext.of(signedIn, SECTION, null),
                    new ApplicationForm(null, name, redirectUri, true, options(scopes)),
                    Map.of("confidential", "must be confidential or public"))));
        }
        return forms.signedInForm(request, csrf)
                .chain(signedIn -> applications.register(signedIn.user().id, name, joined(scopes), redirectUri,
                                confidential)
                        .map(registered -> html(200, Templates.show(PageContext.of(signedIn, SECTION, null),
                                ApplicationItem.of(registered.application()), registered.clientSecret())))
                        .onFailure(ProblemException.class).recoverWithItem(failure -> html(400, Templates.form(
                                PageContext.of(signedIn, SECTION, null),
                                new ApplicationForm(null, name, redirectUri, confidential, options(scopes)),
                                AccountPage.fieldErrors((ProblemException) failure)))));
    }

    @GET
    @Path("/{id}")
    public Uni<TemplateInstance> show(@Context HttpServerRequest request, @PathParam("id") long id,
            @RestQuery String notice) {
        return forms.signedIn(request)
                .chain(signedIn -> applications.find(signedIn.user().id, id)
                        .map(application -> Templates.show(PageContext.of(signedIn, SECTION, Notice.message(notice)),
                                ApplicationItem.of(application), null)));
    }

    @GET
    @Path("/{id}/edit")
    public Uni<TemplateInstance> editForm(@Context HttpServerRequest request, @PathParam("id") long id) {
        return forms.signedIn(request)
                .chain(signedIn -> applications.find(signedIn.user().id, id)
                        .map(application -> Templates.form(PageContext.of(signedIn, SECTION, null),
                                new ApplicationForm(application.id, application.name,
                                        application.redirectUri == null ? "" : application.redirectUri,
                                        application.confidential,
                                        options(Scopes.parseStored(application.scopes).values())),
                                Map.of())));
    }

    @POST
    @Path("/{id}")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> update(@Context HttpServerRequest request, @PathParam("id") long id,
            @RestForm(Csrf.FIELD) String csrf, @RestForm String name, @RestForm("redirect_uri") String redirectUri,
            @RestForm("scopes") List<String> scopes) {
        ApplicationService.Changes changes = new ApplicationService.Changes(name == null ? "" : name,
                joined(scopes), redirectUri == null ? "" : redirectUri, null);
        return forms.signedInForm(request, csrf)
                .chain(signedIn -> applications.update(signedIn.user().id, id, changes)
                        .map(application -> Response.seeOther(
                                WebForms.withNotice(BASE + "/" + application.id, Notice.APPLICATION_UPDATED)).build())
                        .onFailure(ProblemException.class).recoverWithUni(failure -> applications
                                .find(signedIn.user().id, id)
                                .map(application -> html(400, Templates.form(PageContext.of(signedIn, SECTION, null),
                                        new ApplicationForm(id, name, redirectUri, application.confidential,
                                                options(scopes)),
                                        AccountPage.fieldErrors((ProblemException) failure))))));
    }

    @GET
    @Path("/{id}/delete")
    public Uni<TemplateInstance> confirmDelete(@Context HttpServerRequest request, @PathParam("id") long id) {
        return forms.signedIn(request)
                .chain(signedIn -> applications.find(signedIn.user().id, id)
                        .map(application -> Templates.confirmDelete(PageContext.of(signedIn, SECTION, null),
                                ApplicationItem.of(application))));
    }

    @POST
    @Path("/{id}/delete")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> delete(@Context HttpServerRequest request, @PathParam("id") long id,
            @RestForm(Csrf.FIELD) String csrf) {
        return forms.signedInForm(request, csrf)
                .chain(signedIn -> applications.delete(signedIn.user().id, id))
                .map(done -> Response.seeOther(WebForms.withNotice(BASE, Notice.APPLICATION_DELETED)).build());
    }

    @POST
    @Path("/{id}/secret")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> regenerateSecret(@Context HttpServerRequest request, @PathParam("id") long id,
            @RestForm(Csrf.FIELD) String csrf) {
        return forms.signedInForm(request, csrf)
                .chain(signedIn -> applications.regenerateSecret(signedIn.user().id, id)
                        .map(registered -> html(200, Templates.show(PageContext.of(signedIn, SECTION, null),
                                ApplicationItem.of(registered.application()), registered.clientSecret()))));
    }

    /** One checkbox per scope, ticked as {@code checked} says; unknown values are dropped. */
    static List<ScopeOption> options(List<String> checked) {
        List<String> ticked = checked == null ? List.of() : checked;
        List<ScopeOption> options = new ArrayList<>();
        for (Scope scope : Scope.values()) {
            options.add(new ScopeOption(scope.value(), description(scope), ticked.contains(scope.value())));
        }
        return options;
    }

    static String description(Scope scope) {
        return switch (scope) {
            case PUBLIC -> "See the account's e-mail address (GET /api/v1/me)";
            case READ_ITEMS -> "List and read items";
            case WRITE_ITEMS -> "Create, change and delete items";
            case READ_SPACES -> "List and read spaces";
            case WRITE_SPACES -> "Create, change and delete spaces";
        };
    }

    private static String joined(List<String> scopes) {
        return scopes == null ? "" : String.join(" ", scopes.stream()
                .flatMap(value -> Arrays.stream(value.split(" ")))
                .filter(value -> !value.isBlank())
                .toList());
    }

    private static Response html(int status, TemplateInstance page) {
        return Response.status(status).type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8")).entity(page).build();
    }

    @ServerExceptionMapper
    public Uni<Response> failed(Throwable failure, HttpServerRequest request) {
        return errors.render(failure, request);
    }
}
