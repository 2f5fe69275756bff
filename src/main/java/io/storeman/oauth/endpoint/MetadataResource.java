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
 * {@code GET /.well-known/oauth-authorization-server}: the RFC 8414 server metadata, the same document as the
 * OpenID Provider configuration ({@link DiscoveryResource}), built once by {@link ServerMetadata}.
 */
@ErrorFormat(ErrorFormat.Format.PROBLEM)
@Path("/.well-known/oauth-authorization-server")
@Tag(name = "OAuth")
@PermitAll
public class MetadataResource {

    private final ServerMetadata metadata;

    MetadataResource(ServerMetadata metadata) {
        this.metadata = metadata;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Authorization server metadata (RFC 8414)", description = "The same document as "
            + "/.well-known/openid-configuration: every field present in both has one value.")
    @APIResponse(responseCode = "200", description = "The metadata; Cache-Control: public, max-age=3600",
            content = @Content(schema = @Schema(implementation = ServerMetadata.Metadata.class)))
    public Response metadata() {
        return Response.ok(metadata.metadata()).header("Cache-Control", ServerMetadata.CACHE_CONTROL).build();
    }
}
