package io.storeman.oauth.revoke;

import io.smallrye.mutiny.Uni;
import io.storeman.oauth.OAuthParameters;
import io.storeman.oauth.client.ClientAuthenticator;
import io.storeman.oauth.token.TokenResource;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;

/** {@code POST /oauth/revoke} (RFC 7009): {@code 200 {}} whether or not there was anything to revoke. */
@Path("/oauth/revoke")
public class RevokeResource {

    private final ClientAuthenticator clients;
    private final TokenRevoker revoker;

    RevokeResource(ClientAuthenticator clients, TokenRevoker revoker) {
        this.clients = clients;
        this.revoker = revoker;
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<Response> revoke(@HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, byte[] body) {
        OAuthParameters parameters = OAuthParameters.parse(contentType, body);
        return clients.authenticate(authorization, parameters)
                .chain(client -> revoker.revoke(client, parameters.get("token")))
                .map(done -> TokenResource.noStore(Response.ok(Map.of())));
    }
}
