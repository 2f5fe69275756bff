package io.storeman.oauth.endpoint;

import jakarta.annotation.security.PermitAll;
import io.smallrye.mutiny.Uni;
import io.storeman.common.ErrorFormat;
import io.storeman.oauth.OAuthParameters;
import io.storeman.oauth.client.ClientAuthenticator;
import io.storeman.oauth.revoke.TokenRevoker;
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
import java.util.Map;

/** {@code POST /oauth/revoke} (RFC 7009): {@code 200 {}} whether or not there was anything to revoke. */
@ErrorFormat(ErrorFormat.Format.OAUTH)
@Path("/oauth/revoke")
@Tag(name = "OAuth")
@PermitAll
public class RevokeResource {

    /** The parameters of a revocation request, for the OpenAPI document. */
    @Schema(name = "RevocationRequest")
    public record RevocationFields(String token,
            @Schema(enumeration = {"access_token", "refresh_token"}) String tokenTypeHint, String clientId,
            String clientSecret) {
    }

    private final ClientAuthenticator clients;
    private final TokenRevoker revoker;

    RevokeResource(ClientAuthenticator clients, TokenRevoker revoker) {
        this.clients = clients;
        this.revoker = revoker;
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Revoke a token", description = "RFC 7009. Answers 200 {} for a revoked, unknown or "
            + "foreign token alike; revoking a refresh token revokes its whole family.")
    @SecurityRequirement(name = "client")
    @RequestBody(content = {
        @Content(mediaType = MediaType.APPLICATION_FORM_URLENCODED,
                schema = @Schema(implementation = RevocationFields.class)),
        @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = RevocationFields.class))
    })
    @APIResponse(responseCode = "200", description = "{}")
    @APIResponse(responseCode = "400", description = "invalid_request")
    @APIResponse(responseCode = "401", description = "invalid_client")
    @APIResponse(responseCode = "503", description = "temporarily_unavailable (Retry-After)")
    public Uni<Response> revoke(@HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, byte[] body) {
        OAuthParameters parameters = OAuthParameters.parse(contentType, body);
        return clients.authenticate(authorization, parameters)
                .chain(client -> revoker.revoke(client, parameters.get("token")))
                .map(done -> TokenResource.noStore(Response.ok(Map.of())));
    }
}
