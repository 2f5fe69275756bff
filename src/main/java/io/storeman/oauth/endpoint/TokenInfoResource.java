package io.storeman.oauth.endpoint;

import io.storeman.common.ErrorFormat;
import io.quarkus.security.Authenticated;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import io.storeman.oauth.token.AccessToken;
import io.storeman.oauth.bearer.Caller;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.util.List;

/**
 * {@code GET /oauth/token/info}: the Bearer token's own details in Doorkeeper's shape. Any valid, unrevoked token
 * may ask, whatever its scope; anything else is the API's usual 401 with a Bearer challenge.
 */
@ErrorFormat(ErrorFormat.Format.OAUTH)
@Path("/oauth/token/info")
@Tag(name = "OAuth")
public class TokenInfoResource {

    private final Caller caller;

    TokenInfoResource(Caller caller) {
        this.caller = caller;
    }

    /** {@code resource_owner_id} is null for a token a client holds for itself (client credentials). */
    public record TokenInfo(Long resourceOwnerId, List<String> scope, long expiresIn, Application application,
            long createdAt) {
    }

    public record Application(String uid) {
    }

    @GET
    @Authenticated
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "The Bearer token's own details (Doorkeeper's shape)")
    @APIResponse(responseCode = "200", description = "resource_owner_id, scope (array), expires_in, application.uid, created_at")
    public Response info() {
        AccessToken token = caller.token();
        long expiresIn = Math.max(0, token.expiresAt() - Instant.now().getEpochSecond());
        TokenInfo info = new TokenInfo(token.userId().orElse(null), token.scopes().values(), expiresIn,
                new Application(token.clientId()), token.issuedAt());
        return TokenResource.noStore(Response.ok(info));
    }
}
