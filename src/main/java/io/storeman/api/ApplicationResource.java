package io.storeman.api;

import jakarta.annotation.security.PermitAll;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smallrye.mutiny.Uni;
import io.storeman.application.ApplicationSecrets;
import io.storeman.application.ApplicationService;
import io.storeman.application.ClientSecret;
import io.storeman.application.OAuthApplication;
import io.storeman.common.ErrorFormat;
import io.storeman.common.ProblemException;
import io.vertx.core.http.HttpServerRequest;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The account's OAuth applications, managed with the account's own credentials (HTTP Basic) or its web session.
 * Another user's application answers 404, like one that does not exist.
 */
@ErrorFormat(ErrorFormat.Format.PROBLEM)
@Path("/api/v1/oauth/applications")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Account")
@SecurityRequirement(name = "account")
@PermitAll
public class ApplicationResource {

    private final AccountAccess accounts;
    private final ApplicationService service;
    private final ApplicationSecrets secrets;

    ApplicationResource(AccountAccess accounts, ApplicationService service, ApplicationSecrets secrets) {
        this.accounts = accounts;
        this.service = service;
        this.secrets = secrets;
    }

    public record CreateApplicationRequest(String name, String scopes, String redirectUri, Boolean confidential) {
    }

    public record ApplicationView(Long id, String name, String clientId,
            @JsonInclude(JsonInclude.Include.NON_NULL) String clientSecret, String scopes, String redirectUri,
            boolean confidential, Instant createdAt) {

        static ApplicationView of(OAuthApplication application, String clientSecret) {
            return new ApplicationView(application.id, application.name, application.clientId, clientSecret,
                    application.scopes.toString(), application.redirectUri, application.confidential, application.createdAt);
        }
    }

    /** One of an application's secrets: its value only in the answer that made it. */
    public record SecretView(long id, @JsonInclude(JsonInclude.Include.NON_NULL) String clientSecret,
            Instant createdAt, Instant lastUsedAt) {

        static SecretView of(ClientSecret secret, String value) {
            return new SecretView(secret.id, value, secret.createdAt, secret.lastUsedAt);
        }
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Register an application; the answer is the only one showing its secret")
    @APIResponse(responseCode = "201", description = "Registered")
    @APIResponse(responseCode = "400", description = "Bad name, scopes or redirect URI (application/problem+json)")
    public Uni<Response> create(@Context HttpServerRequest request, @NotNull CreateApplicationRequest body) {
        return accounts.authenticate(request)
                .chain(caller -> service.register(caller.user().id, body.name(), body.scopes(), body.redirectUri(),
                        body.confidential() == null || body.confidential()))
                .map(registered -> Response
                        .created(URI.create("/api/v1/oauth/applications/" + registered.application().id))
                        .header(HttpHeaders.CACHE_CONTROL, "no-store")
                        .entity(ApplicationView.of(registered.application(), registered.clientSecret()))
                        .build());
    }

    @GET
    @Operation(summary = "The account's applications")
    public Uni<List<ApplicationView>> list(@Context HttpServerRequest request) {
        return accounts.authenticate(request)
                .chain(caller -> service.list(caller.user().id))
                .map(list -> list.stream().map(application -> ApplicationView.of(application, null)).toList());
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "One application (without its secret)")
    @APIResponse(responseCode = "404", description = "No such application of this account")
    public Uni<ApplicationView> get(@Context HttpServerRequest request, @PathParam("id") long id) {
        return accounts.authenticate(request)
                .chain(caller -> service.find(caller.user().id, id))
                .map(application -> ApplicationView.of(application, null));
    }

    @PATCH
    @Path("/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Change name, scopes or redirect_uri (null or \"\" removes it)")
    @APIResponse(responseCode = "400", description = "Bad value (application/problem+json)")
    @APIResponse(responseCode = "404", description = "No such application of this account")
    public Uni<ApplicationView> update(@Context HttpServerRequest request, @PathParam("id") long id,
            @NotNull ObjectNode body) {
        return accounts.authenticate(request)
                .chain(caller -> service.update(caller.user().id, id, changes(body)))
                .map(application -> ApplicationView.of(application, null));
    }

    @DELETE
    @Path("/{id}")
    @Operation(summary = "Delete an application; every token it holds is revoked at once")
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(responseCode = "404", description = "No such application of this account")
    public Uni<Response> delete(@Context HttpServerRequest request, @PathParam("id") long id) {
        return accounts.authenticate(request)
                .chain(caller -> service.delete(caller.user().id, id))
                .map(done -> Response.noContent().build());
    }

    @POST
    @Path("/{id}/secret")
    @Operation(summary = "Replace every client secret by one new secret; the old ones stop working at once")
    @APIResponse(responseCode = "200", description = "The application with its new secret, shown this once")
    @APIResponse(responseCode = "404", description = "No such application of this account")
    @APIResponse(responseCode = "409", description = "A public application has no secret")
    public Uni<Response> regenerateSecret(@Context HttpServerRequest request, @PathParam("id") long id) {
        return accounts.authenticate(request)
                .chain(caller -> secrets.replaceAll(caller.user().id, id))
                .map(created -> Response.ok(ApplicationView.of(created.application(), created.value()))
                        .header(HttpHeaders.CACHE_CONTROL, "no-store")
                        .build());
    }

    @POST
    @Path("/{id}/secrets")
    @Operation(summary = "Add a client secret that works beside the others; its value is shown only here")
    @APIResponse(responseCode = "201", description = "The new secret, with its value this once")
    @APIResponse(responseCode = "404", description = "No such application of this account")
    @APIResponse(responseCode = "409", description = "A public application, or already "
            + ApplicationSecrets.MAX_SECRETS + " secrets")
    public Uni<Response> addSecret(@Context HttpServerRequest request, @PathParam("id") long id) {
        return accounts.authenticate(request)
                .chain(caller -> secrets.add(caller.user().id, id))
                .map(created -> Response
                        .created(URI.create("/api/v1/oauth/applications/" + id + "/secrets/" + created.secret().id))
                        .header(HttpHeaders.CACHE_CONTROL, "no-store")
                        .entity(SecretView.of(created.secret(), created.value()))
                        .build());
    }

    @GET
    @Path("/{id}/secrets")
    @Operation(summary = "The application's live client secrets, oldest first, without their values")
    @APIResponse(responseCode = "404", description = "No such application of this account")
    public Uni<List<SecretView>> listSecrets(@Context HttpServerRequest request, @PathParam("id") long id) {
        return accounts.authenticate(request)
                .chain(caller -> secrets.list(caller.user().id, id))
                .map(list -> list.stream().map(secret -> SecretView.of(secret, null)).toList());
    }

    @GET
    @Path("/{id}/secrets/{secretId}")
    @Operation(summary = "One client secret, without its value")
    @APIResponse(responseCode = "404", description = "No such application of this account, or no such secret")
    public Uni<SecretView> getSecret(@Context HttpServerRequest request, @PathParam("id") long id,
            @PathParam("secretId") long secretId) {
        return accounts.authenticate(request)
                .chain(caller -> secrets.find(caller.user().id, id, secretId))
                .map(secret -> SecretView.of(secret, null));
    }

    @DELETE
    @Path("/{id}/secrets/{secretId}")
    @Operation(summary = "Delete a client secret; clients using it are refused at once, the others keep working")
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(responseCode = "404", description = "No such application of this account, or no such secret")
    @APIResponse(responseCode = "409", description = "The application's last secret (regenerate it instead)")
    public Uni<Response> deleteSecret(@Context HttpServerRequest request, @PathParam("id") long id,
            @PathParam("secretId") long secretId) {
        return accounts.authenticate(request)
                .chain(caller -> secrets.delete(caller.user().id, id, secretId))
                .map(done -> Response.noContent().build());
    }

    /** Reads a PATCH body: absent fields stay, {@code redirect_uri: null} removes the redirect URI. */
    private static ApplicationService.Changes changes(ObjectNode body) {
        Map<String, String> errors = new TreeMap<>();
        String name = text(body, "name", false, errors);
        String scopes = text(body, "scopes", false, errors);
        String redirectUri = text(body, "redirect_uri", true, errors);
        Boolean confidential = null;
        JsonNode flag = body.get("confidential");
        if (flag != null) {
            if (flag.isBoolean()) {
                confidential = flag.booleanValue();
            } else {
                errors.put("confidential", "must be true or false");
            }
        }
        if (!errors.isEmpty()) {
            throw ProblemException.invalid(errors);
        }
        return new ApplicationService.Changes(name, scopes, redirectUri, confidential);
    }

    private static String text(ObjectNode body, String field, boolean nullable, Map<String, String> errors) {
        JsonNode node = body.get(field);
        if (node == null) {
            return null;
        }
        if (node.isNull() && nullable) {
            return "";
        }
        if (!node.isTextual()) {
            errors.put(field, "must be a string");
            return null;
        }
        return node.textValue();
    }
}
