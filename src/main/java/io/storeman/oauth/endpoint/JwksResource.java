package io.storeman.oauth.endpoint;

import io.storeman.common.ErrorFormat;
import jakarta.annotation.security.PermitAll;
import io.storeman.oauth.keys.SigningKeys;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** {@code GET /.well-known/jwks.json}: every published key, including the next one before it signs. */
@ErrorFormat(ErrorFormat.Format.PROBLEM)
@Path("/.well-known/jwks.json")
@Tag(name = "OAuth")
@PermitAll
public class JwksResource {

    private final SigningKeys keys;

    JwksResource(SigningKeys keys) {
        this.keys = keys;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Public keys of the access-token and ID-token signatures (RFC 7517 JWK Set)")
    public Response jwks() {
        return Response.ok(keys.jwks())
                .header("Cache-Control", "public, max-age=" + SigningKeys.JWKS_MAX_AGE_SECONDS)
                .build();
    }
}
