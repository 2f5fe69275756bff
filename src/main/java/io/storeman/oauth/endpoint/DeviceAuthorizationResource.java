package io.storeman.oauth.endpoint;

import io.smallrye.mutiny.Uni;
import io.storeman.common.ErrorFormat;
import io.storeman.common.StoremanConfig;
import io.storeman.oauth.OAuthErrorWriter.ErrorBody;
import io.storeman.oauth.OAuthParameters;
import io.storeman.oauth.authorize.DeviceAuthorizations;
import io.storeman.oauth.client.ClientAuthenticator;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code POST /oauth/device_authorization} (RFC 8628 §3.1-§3.2): a client authenticated as at the token endpoint
 * (a public one by its {@code client_id} alone) gets a device code for itself and a user code for the user, who enters
 * it at {@code verification_uri} ({@code /device}).
 */
@ErrorFormat(ErrorFormat.Format.OAUTH)
@Path(DeviceAuthorizationResource.PATH)
@Tag(name = "OAuth")
@PermitAll
public class DeviceAuthorizationResource {

    public static final String PATH = "/oauth/device_authorization";
    /** The device page, where the user enters the code. */
    public static final String VERIFICATION_PATH = "/device";

    /** The parameters of a device authorization request, for the OpenAPI document. */
    @Schema(name = "DeviceAuthorizationRequest")
    public record RequestFields(@Schema(description = "space-separated scopes; default public") String scope,
            String clientId, String clientSecret) {
    }

    /** RFC 8628 §3.2's answer. */
    @Schema(name = "DeviceAuthorizationResponse")
    public record DeviceAuthorization(
            @Schema(description = "for the device only: polls the token endpoint with it") String deviceCode,
            @Schema(description = "for the user: XXXX-XXXX, entered at verification_uri") String userCode,
            String verificationUri,
            @Schema(description = "verification_uri with the user code, e.g. for a QR code")
            String verificationUriComplete,
            long expiresIn,
            @Schema(description = "seconds the device waits between polls") int interval) {
    }

    private final ClientAuthenticator clients;
    private final DeviceAuthorizations authorizations;
    private final String verificationUri;

    DeviceAuthorizationResource(ClientAuthenticator clients, DeviceAuthorizations authorizations,
            StoremanConfig config) {
        this.clients = clients;
        this.authorizations = authorizations;
        this.verificationUri = ServerMetadata.base(config) + VERIFICATION_PATH;
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Start a device authorization", description = "RFC 8628 §3.1. Client authentication as at "
            + "the token endpoint (HTTP Basic, client_id/client_secret in the body, or a public client's client_id "
            + "alone); the body is form-encoded or JSON. The device then polls the token endpoint with grant_type="
            + "urn:ietf:params:oauth:grant-type:device_code and the device_code.")
    @SecurityRequirement(name = "client")
    @RequestBody(content = {
        @Content(mediaType = MediaType.APPLICATION_FORM_URLENCODED,
                schema = @Schema(implementation = RequestFields.class)),
        @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = RequestFields.class))
    })
    @APIResponse(responseCode = "200", description = "The device and user codes (Cache-Control: no-store)",
            content = @Content(schema = @Schema(implementation = DeviceAuthorization.class)))
    @APIResponse(responseCode = "400", description = "invalid_request, invalid_scope",
            content = @Content(schema = @Schema(implementation = ErrorBody.class)))
    @APIResponse(responseCode = "401", description = "invalid_client",
            content = @Content(schema = @Schema(implementation = ErrorBody.class)))
    @APIResponse(responseCode = "429", description = "slow_down: too many failed authentications from this "
            + "address, or too many of this client's codes await a decision (Retry-After)")
    @APIResponse(responseCode = "503", description = "temporarily_unavailable (Retry-After)")
    public Uni<Response> authorize(@HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, byte[] body) {
        OAuthParameters parameters = OAuthParameters.parse(contentType, body);
        return clients.authenticate(authorization, parameters)
                .chain(client -> authorizations.start(client, parameters.get("scope")))
                .map(started -> TokenResource.noStore(Response.ok(new DeviceAuthorization(started.deviceCode(),
                        started.userCode(), verificationUri, verificationUri + "?user_code="
                                + URLEncoder.encode(started.userCode(), StandardCharsets.UTF_8),
                        started.expiresIn(), started.interval()))));
    }
}
