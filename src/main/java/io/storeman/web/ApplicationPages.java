package io.storeman.web;

import jakarta.annotation.security.PermitAll;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.mutiny.Uni;
import io.storeman.application.ApplicationSecrets;
import io.storeman.application.ApplicationService;
import io.storeman.application.ClientSecret;
import io.storeman.application.OAuthApplication;
import io.storeman.common.ErrorFormat;
import io.storeman.common.ProblemException;
import io.storeman.common.TextInput;
import io.storeman.oauth.Scope;
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
import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestQuery;

/**
 * "OAuth applications": the list, the new and edit forms, the application's page (Client ID always, its secrets with
 * when each was made and last used, a new secret's value only on the first load after it was made), and the danger
 * zone: regenerate the secret, delete a secret, delete the application, each after a confirmation page.
 * <p>
 * Every form posts a one-time token ({@link FormSubmissions}) and every post that changes something answers 303 to a
 * page (D11): a reload, the back and forward buttons, a double click or a replayed body never makes a second
 * application or secret, and never shows a secret again. A post refused for its values answers 400 with the form.
 */
@ErrorFormat(ErrorFormat.Format.PAGE)
@Path("/account/oauth/applications")
@Produces(MediaType.TEXT_HTML)
@PermitAll
public class ApplicationPages {

    static final String SECTION = "applications";
    /** The values of the form's {@code type} field; anything else is refused, not taken as confidential. */
    private static final Set<String> TYPES = Set.of("confidential", "public");
    private static final String BASE = "/account/oauth/applications";

    /** An application as the pages show it. */
    public record ApplicationItem(long id, String name, String clientId, boolean confidential, List<String> scopes,
            String redirectUri, List<String> postLogoutRedirectUris, String idTokenSignedResponseAlg,
            String subjectType, boolean dpopBoundAccessTokens, boolean requirePushedAuthorizationRequests,
            String createdAt) {

        static ApplicationItem of(OAuthApplication application) {
            return new ApplicationItem(application.id, application.name, application.clientId,
                    application.confidential, application.scopes.values(),
                    application.redirectUri, List.of(application.postLogoutRedirectUris),
                    application.idTokenSignedResponseAlg, application.subjectType,
                    application.dpopBoundAccessTokens, application.requirePushedAuthorizationRequests,
                    Dates.format(application.createdAt));
        }

        public boolean pairwise() {
            return "pairwise".equals(subjectType);
        }
    }

    /** One of an application's secrets, never its value; {@code isNew} when its value is on this very page. */
    public record SecretItem(long id, String createdAt, String lastUsedAt, boolean isNew) {

        static SecretItem of(ClientSecret secret, boolean isNew) {
            return new SecretItem(secret.id, Dates.format(secret.createdAt),
                    secret.lastUsedAt == null ? null : Dates.format(secret.lastUsedAt), isNew);
        }
    }

    /** An application's secrets and what may be done with them. */
    public record SecretList(List<SecretItem> items) {

        public int max() {
            return ApplicationSecrets.MAX_SECRETS;
        }

        public boolean canAdd() {
            return items.size() < ApplicationSecrets.MAX_SECRETS;
        }

        /** The last secret stays: deleting it would leave the application unable to authenticate. */
        public boolean canDelete() {
            return items.size() > 1;
        }
    }

    /** One scope checkbox. */
    public record ScopeOption(String value, String description, boolean checked) {
    }

    /**
     * What the new and edit forms show: the values entered so far. The post-logout redirect URIs are the text of
     * their box, one per line.
     */
    public record ApplicationForm(Long id, String name, String redirectUri, boolean confidential,
            List<ScopeOption> scopes, String postLogoutRedirectUris, String idTokenSignedResponseAlg,
            String subjectType, boolean dpopBoundAccessTokens, boolean requirePushedAuthorizationRequests) {

        public boolean isNew() {
            return id == null;
        }

        public List<String> algorithms() {
            return ApplicationService.ID_TOKEN_ALGORITHMS;
        }

        public List<String> subjectTypes() {
            return ApplicationService.SUBJECT_TYPES;
        }

        /** A new form, or one showing an application as it is. */
        static ApplicationForm of(OAuthApplication application) {
            if (application == null) {
                return new ApplicationForm(null, "", "", true, options(List.of()), "",
                        ApplicationService.ID_TOKEN_ALGORITHMS.get(0), ApplicationService.SUBJECT_TYPES.get(0), false,
                        false);
            }
            return new ApplicationForm(application.id, application.name,
                    application.redirectUri == null ? "" : application.redirectUri, application.confidential,
                    options(application.scopes.values()), String.join("\n", application.postLogoutRedirectUris),
                    application.idTokenSignedResponseAlg, application.subjectType,
                    application.dpopBoundAccessTokens, application.requirePushedAuthorizationRequests);
        }
    }

    /**
     * The OpenID Connect fields and the client requirements' checkboxes as posted; a field the post left out is null,
     * which for a checkbox means unchecked (a browser sends nothing for it).
     */
    record OpenIdFields(String postLogoutRedirectUris, String idTokenSignedResponseAlg, String subjectType,
            String dpopBoundAccessTokens, String requirePushedAuthorizationRequests) {

        /** A checkbox's value: {@code true} checked, absent unchecked; anything else is an error below. */
        private static final String CHECKED = "true";

        boolean dpop() {
            return CHECKED.equals(dpopBoundAccessTokens);
        }

        boolean par() {
            return CHECKED.equals(requirePushedAuthorizationRequests);
        }

        /** Checkbox values no form of ours sends, by field. */
        Map<String, String> problems() {
            Map<String, String> problems = new java.util.TreeMap<>();
            if (dpopBoundAccessTokens != null && !dpop()) {
                problems.put("dpop_bound_access_tokens", "must be checked or not");
            }
            if (requirePushedAuthorizationRequests != null && !par()) {
                problems.put("require_pushed_authorization_requests", "must be checked or not");
            }
            return problems;
        }

        /** The post-logout redirect URIs, one per non-blank line; null when the field was left out. */
        List<String> uris() {
            return postLogoutRedirectUris == null ? null : Arrays.stream(postLogoutRedirectUris.split("\r\n|\r|\n"))
                    .filter(line -> !TextInput.isBlank(line))
                    .toList();
        }

        /** The text of the box, the values of the selects, as the form shows them again. */
        ApplicationForm form(Long id, String name, String redirectUri, boolean confidential, List<String> scopes,
                OAuthApplication current) {
            return new ApplicationForm(id, name, redirectUri, confidential, options(scopes),
                    postLogoutRedirectUris != null ? postLogoutRedirectUris
                            : current == null ? "" : String.join("\n", current.postLogoutRedirectUris),
                    idTokenSignedResponseAlg != null ? idTokenSignedResponseAlg
                            : current == null ? ApplicationService.ID_TOKEN_ALGORITHMS.get(0)
                                    : current.idTokenSignedResponseAlg,
                    subjectType != null ? subjectType
                            : current == null ? ApplicationService.SUBJECT_TYPES.get(0) : current.subjectType,
                    dpop(), par());
        }
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance list(PageContext page, List<ApplicationItem> applications);

        static native TemplateInstance form(PageContext page, ApplicationForm form, Map<String, String> errors,
                String once);

        static native TemplateInstance show(PageContext page, ApplicationItem application, SecretList secrets,
                List<FormSubmissions.Shown> newSecrets, String once);

        static native TemplateInstance confirmDelete(PageContext page, ApplicationItem application, String once);

        static native TemplateInstance confirmRegenerate(PageContext page, ApplicationItem application,
                SecretList secrets, String once);

        static native TemplateInstance confirmDeleteSecret(PageContext page, ApplicationItem application,
                SecretItem secret, String once);
    }

    private final WebForms forms;
    private final FormSubmissions submissions;
    private final ApplicationService applications;
    private final ApplicationSecrets secrets;

    ApplicationPages(WebForms forms, FormSubmissions submissions, ApplicationService applications,
            ApplicationSecrets secrets) {
        this.forms = forms;
        this.submissions = submissions;
        this.applications = applications;
        this.secrets = secrets;
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
                        ApplicationForm.of(null), Map.of(), FormSubmissions.newToken()));
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> create(@Context HttpServerRequest request, @RestForm(Csrf.FIELD) String csrf,
            @RestForm(FormSubmissions.FIELD) String once, @RestForm String name,
            @RestForm("redirect_uri") String redirectUri, @RestForm String type,
            @RestForm("scopes") List<String> scopes,
            @RestForm("post_logout_redirect_uris") String postLogoutRedirectUris,
            @RestForm("id_token_signed_response_alg") String idTokenAlgorithm,
            @RestForm("subject_type") String subjectType,
            @RestForm("dpop_bound_access_tokens") String dpop,
            @RestForm("require_pushed_authorization_requests") String par) {
        boolean confidential = !"public".equals(type);
        OpenIdFields openId = new OpenIdFields(postLogoutRedirectUris, idTokenAlgorithm, subjectType, dpop, par);
        Map<String, String> problems = new java.util.TreeMap<>(openId.problems());
        if (type != null && !TYPES.contains(type)) {
            problems.put("confidential", "must be confidential or public");
        }
        if (!problems.isEmpty()) {
            return forms.signedInForm(request, csrf).map(signedIn -> html(400, Templates.form(
                    PageContext.of(signedIn, SECTION, null),
                    openId.form(null, name, redirectUri, confidential, scopes, null),
                    problems, FormSubmissions.newToken())));
        }
        ApplicationService.Registration registration = new ApplicationService.Registration(name, joined(scopes),
                redirectUri, confidential, openId.uris(), idTokenAlgorithm, subjectType, openId.dpop(), openId.par());
        return forms.signedInForm(request, csrf)
                .chain(signedIn -> once(signedIn, once, () -> applications
                                .register(signedIn.user().id, registration)
                                .map(registered -> new FormSubmissions.Outcome(
                                        WebForms.withNotice(page(registered.application().id),
                                                Notice.APPLICATION_CREATED),
                                        registered.application().id, registered.secretId(),
                                        registered.clientSecret())))
                        .onFailure(ProblemException.class).recoverWithItem(failure -> html(400, Templates.form(
                                PageContext.of(signedIn, SECTION, null),
                                openId.form(null, name, redirectUri, confidential, scopes, null),
                                AccountPage.fieldErrors((ProblemException) failure), FormSubmissions.newToken()))));
    }

    @GET
    @Path("/{id}")
    public Uni<TemplateInstance> show(@Context HttpServerRequest request, @PathParam("id") long id,
            @RestQuery String notice) {
        return forms.signedIn(request)
                .chain(signedIn -> applications.find(signedIn.user().id, id)
                        .chain(application -> secrets.list(application)
                                .chain(list -> submissions.takeSecrets(signedIn, application.id)
                                        .map(shown -> Templates.show(
                                                PageContext.of(signedIn, SECTION, Notice.message(notice)),
                                                ApplicationItem.of(application), secretList(list, shown), shown,
                                                FormSubmissions.newToken())))));
    }

    @GET
    @Path("/{id}/edit")
    public Uni<TemplateInstance> editForm(@Context HttpServerRequest request, @PathParam("id") long id) {
        return forms.signedIn(request)
                .chain(signedIn -> applications.find(signedIn.user().id, id)
                        .map(application -> Templates.form(PageContext.of(signedIn, SECTION, null),
                                ApplicationForm.of(application), Map.of(), FormSubmissions.newToken())));
    }

    @POST
    @Path("/{id}")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> update(@Context HttpServerRequest request, @PathParam("id") long id,
            @RestForm(Csrf.FIELD) String csrf, @RestForm(FormSubmissions.FIELD) String once, @RestForm String name,
            @RestForm("redirect_uri") String redirectUri, @RestForm("scopes") List<String> scopes,
            @RestForm("post_logout_redirect_uris") String postLogoutRedirectUris,
            @RestForm("id_token_signed_response_alg") String idTokenAlgorithm,
            @RestForm("subject_type") String subjectType,
            @RestForm("dpop_bound_access_tokens") String dpop,
            @RestForm("require_pushed_authorization_requests") String par) {
        OpenIdFields openId = new OpenIdFields(postLogoutRedirectUris, idTokenAlgorithm, subjectType, dpop, par);
        if (!openId.problems().isEmpty()) {
            return forms.signedInForm(request, csrf).chain(signedIn -> applications.find(signedIn.user().id, id)
                    .map(application -> html(400, Templates.form(PageContext.of(signedIn, SECTION, null),
                            openId.form(id, name, redirectUri, application.confidential, scopes, application),
                            openId.problems(), FormSubmissions.newToken()))));
        }
        // The edit form always shows both checkboxes, so one left out of the post is unchecked.
        ApplicationService.Changes changes = new ApplicationService.Changes(name == null ? "" : name,
                joined(scopes), redirectUri == null ? "" : redirectUri, null, openId.uris(), idTokenAlgorithm,
                subjectType, openId.dpop(), openId.par());
        return forms.signedInForm(request, csrf)
                .chain(signedIn -> once(signedIn, once, () -> applications.update(signedIn.user().id, id, changes)
                                .map(application -> FormSubmissions.Outcome.redirect(
                                        WebForms.withNotice(page(application.id), Notice.APPLICATION_UPDATED))))
                        .onFailure(ProblemException.class).recoverWithUni(failure -> applications
                                .find(signedIn.user().id, id)
                                .map(application -> html(400, Templates.form(PageContext.of(signedIn, SECTION, null),
                                        openId.form(id, name, redirectUri, application.confidential, scopes,
                                                application),
                                        AccountPage.fieldErrors((ProblemException) failure),
                                        FormSubmissions.newToken())))));
    }

    @GET
    @Path("/{id}/delete")
    public Uni<TemplateInstance> confirmDelete(@Context HttpServerRequest request, @PathParam("id") long id) {
        return forms.signedIn(request)
                .chain(signedIn -> applications.find(signedIn.user().id, id)
                        .map(application -> Templates.confirmDelete(PageContext.of(signedIn, SECTION, null),
                                ApplicationItem.of(application), FormSubmissions.newToken())));
    }

    @POST
    @Path("/{id}/delete")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> delete(@Context HttpServerRequest request, @PathParam("id") long id,
            @RestForm(Csrf.FIELD) String csrf, @RestForm(FormSubmissions.FIELD) String once) {
        return forms.signedInForm(request, csrf)
                .chain(signedIn -> once(signedIn, once, () -> applications.delete(signedIn.user().id, id)
                        .replaceWith(FormSubmissions.Outcome.redirect(
                                WebForms.withNotice(BASE, Notice.APPLICATION_DELETED)))));
    }

    /** The confirmation of "Regenerate secret": what stops working, and a button that posts. */
    @GET
    @Path("/{id}/secret")
    public Uni<TemplateInstance> confirmRegenerate(@Context HttpServerRequest request, @PathParam("id") long id) {
        return forms.signedIn(request)
                .chain(signedIn -> applications.find(signedIn.user().id, id)
                        .invoke(ApplicationPages::refuseIfPublic)
                        .chain(application -> secrets.list(application)
                                .map(list -> Templates.confirmRegenerate(PageContext.of(signedIn, SECTION, null),
                                        ApplicationItem.of(application), secretList(list, List.of()),
                                        FormSubmissions.newToken()))));
    }

    @POST
    @Path("/{id}/secret")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> regenerateSecret(@Context HttpServerRequest request, @PathParam("id") long id,
            @RestForm(Csrf.FIELD) String csrf, @RestForm(FormSubmissions.FIELD) String once) {
        return forms.signedInForm(request, csrf)
                .chain(signedIn -> once(signedIn, once, () -> secrets.replaceAll(signedIn.user().id, id)
                        .map(created -> shownOnce(created, Notice.SECRET_REGENERATED))));
    }

    @POST
    @Path("/{id}/secrets")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> addSecret(@Context HttpServerRequest request, @PathParam("id") long id,
            @RestForm(Csrf.FIELD) String csrf, @RestForm(FormSubmissions.FIELD) String once) {
        return forms.signedInForm(request, csrf)
                .chain(signedIn -> once(signedIn, once, () -> secrets.add(signedIn.user().id, id)
                        .map(created -> shownOnce(created, Notice.SECRET_ADDED))));
    }

    @GET
    @Path("/{id}/secrets/{secretId}/delete")
    public Uni<TemplateInstance> confirmDeleteSecret(@Context HttpServerRequest request, @PathParam("id") long id,
            @PathParam("secretId") long secretId) {
        return forms.signedIn(request)
                .chain(signedIn -> applications.find(signedIn.user().id, id)
                        .chain(application -> secrets.find(signedIn.user().id, id, secretId)
                                .map(secret -> Templates.confirmDeleteSecret(PageContext.of(signedIn, SECTION, null),
                                        ApplicationItem.of(application), SecretItem.of(secret, false),
                                        FormSubmissions.newToken()))));
    }

    @POST
    @Path("/{id}/secrets/{secretId}/delete")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> deleteSecret(@Context HttpServerRequest request, @PathParam("id") long id,
            @PathParam("secretId") long secretId, @RestForm(Csrf.FIELD) String csrf,
            @RestForm(FormSubmissions.FIELD) String once) {
        return forms.signedInForm(request, csrf)
                .chain(signedIn -> once(signedIn, once, () -> secrets.delete(signedIn.user().id, id, secretId)
                        .replaceWith(FormSubmissions.Outcome.redirect(
                                WebForms.withNotice(page(id), Notice.SECRET_DELETED)))));
    }

    /**
     * Does {@code action} once per form token (D11): its first post runs it and answers 303 to where it leads; a
     * replay answers 303 to the same place without running it. A failure frees the token and passes on. A post
     * without a well-formed token comes from no current page of this server: it is refused like a bad CSRF token.
     */
    private Uni<Response> once(WebSessions.SignedIn signedIn, String token,
            Supplier<Uni<FormSubmissions.Outcome>> action) {
        if (!FormSubmissions.isWellFormed(token)) {
            return Uni.createFrom().failure(new CsrfRejected());
        }
        return submissions.reserve(signedIn, token, URI.create(BASE))
                .chain(replayed -> replayed.isPresent()
                        ? Uni.createFrom().item(replayed.get())
                        : action.get()
                                .onFailure().call(() -> submissions.release(signedIn, token)
                                        .onFailure().recoverWithNull())
                                .call(outcome -> submissions.complete(signedIn, token, outcome))
                                .map(FormSubmissions.Outcome::redirect))
                .map(target -> Response.seeOther(target).build());
    }

    private static FormSubmissions.Outcome shownOnce(ApplicationSecrets.NewSecret created, Notice notice) {
        return new FormSubmissions.Outcome(WebForms.withNotice(page(created.application().id), notice),
                created.application().id, created.secret().id, created.value());
    }

    private static void refuseIfPublic(OAuthApplication application) {
        if (!application.confidential) {
            throw ProblemException.conflict("A public application has no secret.");
        }
    }

    private static SecretList secretList(List<ClientSecret> list, List<FormSubmissions.Shown> shown) {
        Set<Long> shownIds = shown.stream().map(FormSubmissions.Shown::secretId).collect(Collectors.toSet());
        return new SecretList(list.stream().map(secret -> SecretItem.of(secret, shownIds.contains(secret.id)))
                .toList());
    }

    private static String page(long id) {
        return BASE + "/" + id;
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
            case OPENID -> "Sign users in with OpenID Connect: ID tokens and GET /userinfo";
            case EMAIL -> "The e-mail address in UserInfo (with openid)";
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
}
