package io.storeman.oauth.endpoint;

import jakarta.annotation.security.PermitAll;
import io.smallrye.mutiny.Uni;
import io.storeman.common.ErrorFormat;
import io.storeman.oauth.OAuthParameters;
import io.storeman.oauth.grant.TokenEndpoint;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import io.storeman.oauth.dpop.DpopVerifier;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import io.storeman.oauth.OAuthErrorWriter.ErrorBody;

/** {@code POST /oauth/token}: form or JSON body in, RFC 6749 §5.1 JSON out. */
@ErrorFormat(ErrorFormat.Format.OAUTH)
@Path("/oauth/token")
@Tag(name = "OAuth")
@PermitAll
public class TokenResource {

    /** The parameters of a token request, for the OpenAPI document (the body is parsed by OAuthParameters). */
    @Schema(name = "TokenRequest")
    public record TokenRequestFields(
            @Schema(required = true, enumeration = {"password", "refresh_token", "client_credentials",
                "authorization_code", "urn:ietf:params:oauth:grant-type:device_code"}) String grantType,
            String username, String password, String refreshToken, String code, String redirectUri,
            @Schema(description = "the device authorization grant's device code (RFC 8628 §3.4)") String deviceCode,
            String codeVerifier, @Schema(description = "space-separated scopes") String scope, String clientId,
            String clientSecret) {
    }

    private final TokenEndpoint endpoint;

    TokenResource(TokenEndpoint endpoint) {
        this.endpoint = endpoint;
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Issue tokens", description = "RFC 6749 token endpoint. Client authentication by HTTP Basic "
            + "or client_id/client_secret in the body (not both); the body is form-encoded or JSON. "
            + "A DPoP header (RFC 9449 proof) binds the tokens to its key: token_type DPoP.")
    @SecurityRequirement(name = "client")
    @RequestBody(content = {
        @Content(mediaType = MediaType.APPLICATION_FORM_URLENCODED,
                schema = @Schema(implementation = TokenRequestFields.class)),
        @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = TokenRequestFields.class))
    })
    @APIResponse(responseCode = "200", description = "Tokens (Cache-Control: no-store)",
            content = @Content(schema = @Schema(implementation = TokenResponse.class)))
    @APIResponse(responseCode = "400", description = "invalid_request, invalid_grant, unauthorized_client, "
            + "unsupported_grant_type, invalid_scope, invalid_dpop_proof, use_dpop_nonce (with a DPoP-Nonce header); "
            + "for the device_code grant also authorization_pending, "
            + "slow_down (poll 5 seconds less often from now on), access_denied, expired_token",
            content = @Content(schema = @Schema(implementation = ErrorBody.class)))
    @APIResponse(responseCode = "401", description = "invalid_client",
            content = @Content(schema = @Schema(implementation = ErrorBody.class)))
    @APIResponse(responseCode = "429", description = "slow_down: too many failed authentications from this address")
    @APIResponse(responseCode = "503", description = "temporarily_unavailable (Retry-After)")
    public Uni<Response> token(@HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, @Context HttpHeaders headers,
            byte[] body) {
        OAuthParameters parameters = OAuthParameters.parse(contentType, body);
        return endpoint.token(authorization, parameters, headers.getRequestHeader(DpopVerifier.HEADER))
                .map(tokens -> noStore(Response.ok(TokenResponse.from(tokens))));
    }

    /** RFC 6749 §5.1: responses carrying tokens or credentials must not be cached. */
    public static Response noStore(Response.ResponseBuilder response) {
        return response.header(HttpHeaders.CACHE_CONTROL, "no-store").header("Pragma", "no-cache").build();
    }
}
