package io.storeman.oauth.keys;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

@Path("/.well-known/jwks.json")
public class JwksResource {

    private final SigningKeys keys;

    JwksResource(SigningKeys keys) {
        this.keys = keys;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Response jwks() {
        return Response.ok(keys.jwks()).header("Cache-Control", "public, max-age=300").build();
    }
}
