package io.storeman.oauth.token;

import io.smallrye.mutiny.Uni;
import io.storeman.oauth.OAuthParameters;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** {@code POST /oauth/token}: form or JSON body in, RFC 6749 §5.1 JSON out. */
@Path("/oauth/token")
public class TokenResource {

    private final TokenEndpoint endpoint;

    TokenResource(TokenEndpoint endpoint) {
        this.endpoint = endpoint;
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<Response> token(@HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, byte[] body) {
        OAuthParameters parameters = OAuthParameters.parse(contentType, body);
        return endpoint.token(authorization, parameters)
                .map(tokens -> noStore(Response.ok(TokenResponse.from(tokens))));
    }

    /** RFC 6749 §5.1: responses carrying tokens or credentials must not be cached. */
    public static Response noStore(Response.ResponseBuilder response) {
        return response.header(HttpHeaders.CACHE_CONTROL, "no-store").header("Pragma", "no-cache").build();
    }
}
