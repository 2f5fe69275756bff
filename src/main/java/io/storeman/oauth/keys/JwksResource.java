package io.storeman.oauth.keys;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** {@code GET /.well-known/jwks.json}: every published key, including the next one before it signs. */
@Path("/.well-known/jwks.json")
@Tag(name = "OAuth")
public class JwksResource {

    /** How long clients may cache the set; the publish lead of the next key must exceed it. */
    static final int MAX_AGE_SECONDS = 300;

    private final SigningKeys keys;

    JwksResource(SigningKeys keys) {
        this.keys = keys;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Public keys of the access-token signatures (RFC 7517 JWK Set)")
    public Response jwks() {
        return Response.ok(keys.jwks()).header("Cache-Control", "public, max-age=" + MAX_AGE_SECONDS).build();
    }
}
