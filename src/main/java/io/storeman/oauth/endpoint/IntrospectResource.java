package io.storeman.oauth.endpoint;

import io.storeman.common.ErrorFormat;
import jakarta.annotation.security.PermitAll;
import io.storeman.oauth.introspect.Introspection;
import io.storeman.oauth.introspect.TokenIntrospector;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import io.smallrye.mutiny.Uni;
import io.storeman.application.OAuthApplication;
import io.storeman.oauth.OAuthError;
import io.storeman.oauth.OAuthParameters;
import io.storeman.oauth.client.ClientAuthenticator;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * {@code POST /oauth/introspect} (RFC 7662). The caller authenticates as at the token endpoint, with a secret: a
 * public client proves nothing by its id, so it may not introspect (RFC 7662 §2.1, docs/security.md N36).
 */
@ErrorFormat(ErrorFormat.Format.OAUTH)
@Path("/oauth/introspect")
@Tag(name = "OAuth")
@PermitAll
public class IntrospectResource {

    private final ClientAuthenticator clients;
    private final TokenIntrospector introspector;

    IntrospectResource(ClientAuthenticator clients, TokenIntrospector introspector) {
        this.clients = clients;
        this.introspector = introspector;
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Introspect a token (RFC 7662)", description = "A client learns only about its own tokens; "
            + "anything else, or anything not currently valid, is {\"active\": false}.")
    @SecurityRequirement(name = "client")
    @APIResponse(responseCode = "200", description = "{\"active\": true, ...} or {\"active\": false}")
    @APIResponse(responseCode = "400", description = "invalid_request")
    @APIResponse(responseCode = "401", description = "invalid_client")
    public Uni<Response> introspect(@HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, byte[] body) {
        OAuthParameters parameters = OAuthParameters.parse(contentType, body);
        return clients.authenticate(authorization, parameters)
                .invoke(IntrospectResource::requireConfidential)
                .chain(client -> introspector.introspect(client, parameters.require("token")))
                .map(answer -> TokenResource.noStore(Response.ok(answer)));
    }

    private static void requireConfidential(OAuthApplication client) {
        if (!client.confidential) {
            throw OAuthError.INVALID_CLIENT.exception("Introspection needs a client with a secret.");
        }
    }
}
