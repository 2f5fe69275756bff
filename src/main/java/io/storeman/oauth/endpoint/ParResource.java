package io.storeman.oauth.endpoint;

import io.smallrye.mutiny.Uni;
import io.storeman.common.ErrorFormat;
import io.storeman.oauth.OAuthError;
import io.storeman.oauth.OAuthErrorWriter.ErrorBody;
import io.storeman.oauth.OAuthParameters;
import io.storeman.oauth.authorize.PushedRequests;
import io.storeman.oauth.client.ClientAuthenticator;
import io.storeman.security.ClientAddress;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code POST /oauth/par}, the pushed authorization request endpoint (RFC 9126 §2): the client authenticates as at the
 * token endpoint (a public client names itself with {@code client_id}), pushes the parameters of an authorization
 * request, and gets the {@code request_uri} to send the browser to {@code /oauth/authorize} with (docs/security.md Q1).
 */
@ErrorFormat(ErrorFormat.Format.OAUTH)
@Path(ParResource.PATH)
@Tag(name = "OAuth")
@PermitAll
public class ParResource {

    public static final String PATH = "/oauth/par";

    /** §2.2's answer. */
    @Schema(name = "PushedAuthorizationResponse")
    public record PushedResponse(
            @Schema(description = "urn:ietf:params:oauth:request_uri: and a random reference; one-time")
            String requestUri,
            @Schema(description = "seconds until the reference expires unless a browser has arrived with it")
            long expiresIn) {
    }

    private final ClientAuthenticator clients;
    private final PushedRequests requests;

    ParResource(ClientAuthenticator clients, PushedRequests requests) {
        this.clients = clients;
        this.requests = requests;
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Push an authorization request", description = "RFC 9126 §2. Client authentication as at "
            + "the token endpoint (HTTP Basic or client_id/client_secret in the body; a public client sends "
            + "client_id alone). The form-encoded body holds the parameters of an authorization request, validated "
            + "as GET /oauth/authorize validates them (request_uri is refused). Then send the browser to "
            + "/oauth/authorize?client_id=...&request_uri=...; any other parameter there is ignored.")
    @SecurityRequirement(name = "client")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_FORM_URLENCODED,
            schema = @Schema(description = "the authorization request's parameters (response_type, client_id, "
                    + "redirect_uri, scope, state, code_challenge, code_challenge_method, and the OpenID Connect "
                    + "ones) with the client's authentication")))
    @APIResponse(responseCode = "201", description = "The request is stored (Cache-Control: no-store)",
            content = @Content(schema = @Schema(implementation = PushedResponse.class)))
    @APIResponse(responseCode = "400", description = "invalid_request, invalid_scope, unsupported_response_type, "
            + "request_not_supported, request_uri_not_supported ...: the authorization request's own error",
            content = @Content(schema = @Schema(implementation = ErrorBody.class)))
    @APIResponse(responseCode = "401", description = "invalid_client",
            content = @Content(schema = @Schema(implementation = ErrorBody.class)))
    @APIResponse(responseCode = "429", description = "slow_down: too many pending pushed requests, or too many "
            + "failed authentications from this address",
            content = @Content(schema = @Schema(implementation = ErrorBody.class)))
    @APIResponse(responseCode = "503", description = "temporarily_unavailable (Retry-After)")
    public Uni<Response> push(@HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, byte[] body) {
        String mediaType = contentType == null ? "" : contentType.split(";", 2)[0].trim().toLowerCase();
        if (!mediaType.equals(MediaType.APPLICATION_FORM_URLENCODED)) {
            // §2.1: the request is form-encoded, as the authorization request it carries.
            throw OAuthError.INVALID_REQUEST.exception("The body must be application/x-www-form-urlencoded.");
        }
        OAuthParameters parameters = OAuthParameters.parse(contentType, body);
        String address = ClientAddress.current().key();
        return clients.authenticate(authorization, parameters)
                .chain(client -> requests.push(client, parameters.all(), address))
                .map(pushed -> TokenResource.noStore(Response.status(Response.Status.CREATED)
                        .entity(new PushedResponse(pushed.requestUri(), pushed.expiresIn()))
                        .type(MediaType.APPLICATION_JSON_TYPE)));
    }
}
