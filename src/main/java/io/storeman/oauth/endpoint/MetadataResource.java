package io.storeman.oauth.endpoint;

import io.storeman.common.ErrorFormat;
import jakarta.annotation.security.PermitAll;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import io.storeman.common.StoremanConfig;
import io.storeman.oauth.Scope;
import io.storeman.oauth.grant.TokenEndpoint;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Arrays;
import java.util.List;

/**
 * {@code GET /.well-known/oauth-authorization-server}: the RFC 8414 server metadata. {@code issuer} is exactly the
 * {@code iss} of our tokens, and every URL is built from it, so the document is right behind any proxy the issuer
 * names.
 */
@ErrorFormat(ErrorFormat.Format.PROBLEM)
@Path("/.well-known/oauth-authorization-server")
@Tag(name = "OAuth")
@PermitAll
public class MetadataResource {

    private static final List<String> CLIENT_AUTH_METHODS =
            List.of("client_secret_basic", "client_secret_post", "none");

    private final Metadata metadata;

    MetadataResource(StoremanConfig config, TokenEndpoint tokenEndpoint) {
        String issuer = config.issuer().endsWith("/")
                ? config.issuer().substring(0, config.issuer().length() - 1)
                : config.issuer();
        this.metadata = new Metadata(config.issuer(),
                issuer + "/oauth/authorize",
                issuer + "/oauth/token",
                issuer + "/oauth/revoke",
                issuer + "/oauth/introspect",
                issuer + "/.well-known/jwks.json",
                Arrays.stream(Scope.values()).map(Scope::value).toList(),
                List.of("code"),
                List.of("query"),
                tokenEndpoint.grantTypes(),
                CLIENT_AUTH_METHODS,
                CLIENT_AUTH_METHODS,
                List.of("client_secret_basic", "client_secret_post"),
                List.of("S256"),
                true);
    }

    /** The RFC 8414 §2 fields this server supports; RFC 9207 for the {@code iss} authorization response parameter. */
    public record Metadata(
            String issuer,
            String authorizationEndpoint,
            String tokenEndpoint,
            String revocationEndpoint,
            String introspectionEndpoint,
            String jwksUri,
            List<String> scopesSupported,
            List<String> responseTypesSupported,
            List<String> responseModesSupported,
            List<String> grantTypesSupported,
            List<String> tokenEndpointAuthMethodsSupported,
            List<String> revocationEndpointAuthMethodsSupported,
            List<String> introspectionEndpointAuthMethodsSupported,
            List<String> codeChallengeMethodsSupported,
            boolean authorizationResponseIssParameterSupported) {
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Authorization server metadata (RFC 8414)")
    public Response metadata() {
        return Response.ok(metadata).header("Cache-Control", "public, max-age=3600").build();
    }
}
