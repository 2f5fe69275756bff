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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
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

    /**
     * A registration. The OpenID Connect fields are read as JSON trees so that a value of the wrong JSON type is a
     * 400 naming its field, like a bad value (O10); the schema says what they hold.
     */
    public record CreateApplicationRequest(
            @Schema(required = true, maxLength = ApplicationService.MAX_NAME_LENGTH) String name,
            @Schema(required = true, description = "space-separated scopes") String scopes,
            @Schema(description = REDIRECT_URI) String redirectUri,
            @Schema(description = "false for a public client (no secret); fixed at creation", defaultValue = "true")
            Boolean confidential,
            @Schema(type = SchemaType.ARRAY, implementation = String.class, description = POST_LOGOUT_REDIRECT_URIS,
                    maxItems = ApplicationService.MAX_POST_LOGOUT_REDIRECT_URIS)
            JsonNode postLogoutRedirectUris,
            @Schema(implementation = String.class, enumeration = {"RS256", "ES256"}, defaultValue = "RS256",
                    description = ID_TOKEN_ALG)
            JsonNode idTokenSignedResponseAlg,
            @Schema(implementation = String.class, enumeration = {"public", "pairwise"}, defaultValue = "public",
                    description = SUBJECT_TYPE)
            JsonNode subjectType,
            @Schema(implementation = Boolean.class, defaultValue = "false", description = DPOP_BOUND)
            JsonNode dpopBoundAccessTokens,
            @Schema(implementation = Boolean.class, defaultValue = "false", description = REQUIRE_PAR)
            JsonNode requirePushedAuthorizationRequests) {
    }

    /**
     * A change (JSON merge patch, RFC 7396): a field left out stays as it is; {@code null} removes the redirect URI
     * and the post-logout redirect URIs ({@code []} too), and restores the default algorithm and subject type.
     */
    @Schema(name = "ApplicationChanges")
    public record ApplicationChanges(@Schema(maxLength = ApplicationService.MAX_NAME_LENGTH) String name,
            @Schema(description = "space-separated scopes") String scopes,
            @Schema(description = REDIRECT_URI + "; null or \"\" removes it", nullable = true) String redirectUri,
            @Schema(description = "only its current value is accepted") Boolean confidential,
            @Schema(description = POST_LOGOUT_REDIRECT_URIS + "; null or [] removes them", nullable = true,
                    maxItems = ApplicationService.MAX_POST_LOGOUT_REDIRECT_URIS)
            List<String> postLogoutRedirectUris,
            @Schema(enumeration = {"RS256", "ES256"}, description = ID_TOKEN_ALG + "; null restores RS256",
                    nullable = true)
            String idTokenSignedResponseAlg,
            @Schema(enumeration = {"public", "pairwise"}, description = SUBJECT_TYPE + "; null restores public",
                    nullable = true)
            String subjectType,
            @Schema(description = DPOP_BOUND + "; null restores false", nullable = true)
            Boolean dpopBoundAccessTokens,
            @Schema(description = REQUIRE_PAR + "; null restores false", nullable = true)
            Boolean requirePushedAuthorizationRequests) {
    }

    private static final String REDIRECT_URI = "absolute https URI without fragment (http only for localhost),"
            + " at most 2000 characters; matched exactly";
    private static final String POST_LOGOUT_REDIRECT_URIS = "where the end-session endpoint (OpenID Connect"
            + " RP-Initiated Logout) may send the browser, each matched exactly: at most 5 distinct URIs, each held"
            + " to the rules of redirect_uri";
    private static final String ID_TOKEN_ALG = "the algorithm of the application's ID tokens";
    private static final String DPOP_BOUND = "RFC 9449 §5.2: every access token of the application must be bound to"
            + " a key by a DPoP proof; a token request without one is refused";
    private static final String REQUIRE_PAR = "RFC 9126 §6: every authorization request of the application must"
            + " come through POST /oauth/par; a plain one is refused";
    private static final String SUBJECT_TYPE = "public: sub is the user's id; pairwise: a sub of its own for"
            + " each user at the host of redirect_uri, which a pairwise application must have and keep";

    public record ApplicationView(Long id, String name, String clientId,
            @JsonInclude(JsonInclude.Include.NON_NULL) String clientSecret, String scopes, String redirectUri,
            boolean confidential, List<String> postLogoutRedirectUris,
            @Schema(enumeration = {"RS256", "ES256"}) String idTokenSignedResponseAlg,
            @Schema(enumeration = {"public", "pairwise"}) String subjectType,
            @Schema(description = DPOP_BOUND) boolean dpopBoundAccessTokens,
            @Schema(description = REQUIRE_PAR) boolean requirePushedAuthorizationRequests, Instant createdAt) {

        static ApplicationView of(OAuthApplication application, String clientSecret) {
            return new ApplicationView(application.id, application.name, application.clientId, clientSecret,
                    application.scopes.toString(), application.redirectUri, application.confidential,
                    List.of(application.postLogoutRedirectUris), application.idTokenSignedResponseAlg,
                    application.subjectType, application.dpopBoundAccessTokens,
                    application.requirePushedAuthorizationRequests, application.createdAt);
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
    @APIResponse(responseCode = "400", description = "A bad field, named with its problem (application/problem+json):"
            + " name, scopes, redirect_uri, post_logout_redirect_uris, id_token_signed_response_alg, subject_type,"
            + " dpop_bound_access_tokens, require_pushed_authorization_requests")
    public Uni<Response> create(@Context HttpServerRequest request, @NotNull CreateApplicationRequest body) {
        return accounts.authenticate(request)
                .chain(caller -> service.register(caller.user().id, registration(body)))
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
    @APIResponse(responseCode = "200", description = "The application",
            content = @Content(schema = @Schema(implementation = ApplicationView.class)))
    @APIResponse(responseCode = "404", description = "No such application of this account")
    public Uni<ApplicationView> get(@Context HttpServerRequest request, @PathParam("id") long id) {
        return accounts.authenticate(request)
                .chain(caller -> service.find(caller.user().id, id))
                .map(application -> ApplicationView.of(application, null));
    }

    @PATCH
    @Path("/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Change name, scopes, redirect_uri or the OpenID Connect fields; fields left out stay")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = ApplicationChanges.class)))
    @APIResponse(responseCode = "200", description = "The application as changed",
            content = @Content(schema = @Schema(implementation = ApplicationView.class)))
    @APIResponse(responseCode = "400", description = "A bad field, named with its problem (application/problem+json)")
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

    /** Reads a registration; an OpenID Connect field left out or null takes its default. */
    private static ApplicationService.Registration registration(CreateApplicationRequest body) {
        Map<String, String> errors = new TreeMap<>();
        List<String> postLogoutRedirectUris = uris(body.postLogoutRedirectUris(), errors);
        String algorithm = choice(body.idTokenSignedResponseAlg(), "id_token_signed_response_alg", errors);
        String subjectType = choice(body.subjectType(), "subject_type", errors);
        Boolean dpop = flag(body.dpopBoundAccessTokens(), "dpop_bound_access_tokens", errors);
        Boolean par = flag(body.requirePushedAuthorizationRequests(), "require_pushed_authorization_requests", errors);
        if (!errors.isEmpty()) {
            throw ProblemException.invalid(errors);
        }
        return new ApplicationService.Registration(body.name(), body.scopes(), body.redirectUri(),
                body.confidential() == null || body.confidential(), postLogoutRedirectUris, algorithm, subjectType,
                Boolean.TRUE.equals(dpop), Boolean.TRUE.equals(par));
    }

    /**
     * Reads a PATCH body: absent fields stay, {@code redirect_uri: null} removes the redirect URI,
     * {@code post_logout_redirect_uris: null} (or {@code []}) removes them, and a null algorithm or subject type
     * restores the default.
     */
    private static ApplicationService.Changes changes(ObjectNode body) {
        Map<String, String> errors = new TreeMap<>();
        String name = text(body, "name", false, errors);
        String scopes = text(body, "scopes", false, errors);
        String redirectUri = text(body, "redirect_uri", true, errors);
        List<String> postLogoutRedirectUris = body.has("post_logout_redirect_uris")
                ? uris(body.get("post_logout_redirect_uris"), errors)
                : null;
        String algorithm = defaulted(body, "id_token_signed_response_alg", ApplicationService.ID_TOKEN_ALGORITHMS,
                errors);
        String subjectType = defaulted(body, "subject_type", ApplicationService.SUBJECT_TYPES, errors);
        Boolean dpop = body.has("dpop_bound_access_tokens")
                ? Boolean.TRUE.equals(flag(body.get("dpop_bound_access_tokens"), "dpop_bound_access_tokens", errors))
                : null;
        Boolean par = body.has("require_pushed_authorization_requests")
                ? Boolean.TRUE.equals(flag(body.get("require_pushed_authorization_requests"),
                        "require_pushed_authorization_requests", errors))
                : null;
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
        return new ApplicationService.Changes(name, scopes, redirectUri, confidential, postLogoutRedirectUris,
                algorithm, subjectType, dpop, par);
    }

    /** A client requirement: true or false; null or absent is false (its default). */
    private static Boolean flag(JsonNode node, String field, Map<String, String> errors) {
        if (node == null || node.isNull()) {
            return false;
        }
        if (!node.isBoolean()) {
            errors.put(field, "must be true or false");
            return null;
        }
        return node.booleanValue();
    }

    /** A JSON array of strings as a list; null or absent: none. At most a body's worth of elements are read. */
    private static List<String> uris(JsonNode node, Map<String, String> errors) {
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            errors.put("post_logout_redirect_uris", "must be an array of strings");
            return null;
        }
        List<String> uris = new ArrayList<>();
        for (JsonNode element : node) {
            if (!element.isTextual()) {
                errors.put("post_logout_redirect_uris", "must be an array of strings");
                return null;
            }
            uris.add(element.textValue());
        }
        return uris;
    }

    /** A string field of a registration; null when left out or null (the service's default). */
    private static String choice(JsonNode node, String field, Map<String, String> errors) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            errors.put(field, "must be a string");
            return null;
        }
        return node.textValue();
    }

    /** A string field of a change with a default: null when left out, the default ({@code values}' first) if null. */
    private static String defaulted(ObjectNode body, String field, List<String> values, Map<String, String> errors) {
        JsonNode node = body.get(field);
        if (node != null && node.isNull()) {
            return values.get(0);
        }
        return choice(node, field, errors);
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
