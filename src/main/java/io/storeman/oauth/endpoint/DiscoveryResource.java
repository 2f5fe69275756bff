package io.storeman.oauth.endpoint;

import io.storeman.common.ErrorFormat;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code GET /.well-known/openid-configuration}: the OpenID Provider metadata (Discovery 1.0 §4), the same document
 * as the RFC 8414 metadata ({@link MetadataResource}), so the two never disagree (docs/security.md O8).
 */
@ErrorFormat(ErrorFormat.Format.PROBLEM)
@Path("/.well-known/openid-configuration")
@Tag(name = "OpenID Connect")
@PermitAll
public class DiscoveryResource {

    private final ServerMetadata metadata;

    DiscoveryResource(ServerMetadata metadata) {
        this.metadata = metadata;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "OpenID Provider configuration (OpenID Connect Discovery 1.0)", description = "The same "
            + "document as /.well-known/oauth-authorization-server: every field present in both has one value.")
    @APIResponse(responseCode = "200", description = "The configuration; Cache-Control: public, max-age=3600",
            content = @Content(schema = @Schema(implementation = ServerMetadata.Metadata.class)))
    public Response configuration() {
        return Response.ok(metadata.metadata()).header("Cache-Control", ServerMetadata.CACHE_CONTROL).build();
    }
}
