package io.storeman.oauth.endpoint;

import io.storeman.common.StoremanConfig;
import io.storeman.oauth.Scope;
import io.storeman.oauth.dpop.DpopProofs;
import io.storeman.oauth.grant.TokenEndpoint;
import io.storeman.oauth.keys.SigningAlgorithm;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Arrays;
import java.util.List;

/**
 * The one description of this server that both discovery documents serve: the RFC 8414 metadata
 * ({@code /.well-known/oauth-authorization-server}) and the OpenID Provider metadata
 * ({@code /.well-known/openid-configuration}, Discovery 1.0 §3). Both are the same record, so a field present in both
 * can never have two values (docs/security.md O8). {@code issuer} is exactly the {@code iss} of our tokens, and every
 * URL is built from it, so the documents are right behind any proxy the issuer names.
 */
@ApplicationScoped
public class ServerMetadata {

    /** The cache lifetime of both documents: they change only with a new release. */
    static final String CACHE_CONTROL = "public, max-age=3600";
    private static final List<String> CLIENT_AUTH_METHODS =
            List.of("client_secret_basic", "client_secret_post", "none");
    /** What an ID token carries (Core 1.0 §2) and what UserInfo answers (§5.1), and nothing else. */
    static final List<String> CLAIMS = List.of("sub", "iss", "aud", "exp", "iat", "auth_time", "nonce", "at_hash",
            "azp", "email", "email_verified");

    private final Metadata metadata;

    ServerMetadata(StoremanConfig config, TokenEndpoint tokenEndpoint) {
        String base = base(config);
        this.metadata = new Metadata(config.issuer(),
                base + "/oauth/authorize",
                base + "/oauth/token",
                base + UserInfoResource.PATH,
                base + "/.well-known/jwks.json",
                base + "/oauth/revoke",
                base + "/oauth/introspect",
                base + "/oauth/logout",
                base + ParResource.PATH,
                base + DeviceAuthorizationResource.PATH,
                Arrays.stream(Scope.values()).map(Scope::value).toList(),
                List.of("code"),
                List.of("query"),
                tokenEndpoint.grantTypes(),
                List.of("public", "pairwise"),
                List.of(SigningAlgorithm.RS256.name(), SigningAlgorithm.ES256.name()),
                CLIENT_AUTH_METHODS,
                CLIENT_AUTH_METHODS,
                List.of("client_secret_basic", "client_secret_post"),
                CLAIMS,
                List.of("S256"),
                List.of("none", "login", "consent", "select_account"),
                false,
                false,
                false,
                true,
                false,
                DpopProofs.ALGORITHMS);
    }

    /** The issuer without a trailing slash: what every URL of this server starts with. */
    static String base(StoremanConfig config) {
        return config.issuer().endsWith("/")
                ? config.issuer().substring(0, config.issuer().length() - 1)
                : config.issuer();
    }

    /** The document both endpoints answer. */
    public Metadata metadata() {
        return metadata;
    }

    /**
     * The RFC 8414 §2 fields this server supports, with the OpenID Provider fields of Discovery 1.0 §3 (RFC 8414 §2
     * lets a server add them); RFC 9207 for the {@code iss} authorization response parameter. UserInfo answers plain
     * JSON, so there is no {@code userinfo_signing_alg_values_supported}. RFC 8628 §4 for
     * {@code device_authorization_endpoint}. {@code request_uri_parameter_supported} is
     * stated because Discovery's default for it is true; it stays false because it means request objects fetched by
     * reference, which are not supported: only this server's own pushed requests' {@code request_uri} values are
     * (RFC 9126 §5, {@code pushed_authorization_request_endpoint}; docs/security.md Q4). Pushing is required of the
     * applications registered so, not server-wide. RFC 9449 §5.1 for the DPoP proof algorithms.
     */
    public record Metadata(
            String issuer,
            String authorizationEndpoint,
            String tokenEndpoint,
            String userinfoEndpoint,
            String jwksUri,
            String revocationEndpoint,
            String introspectionEndpoint,
            String endSessionEndpoint,
            String pushedAuthorizationRequestEndpoint,
            String deviceAuthorizationEndpoint,
            List<String> scopesSupported,
            List<String> responseTypesSupported,
            List<String> responseModesSupported,
            List<String> grantTypesSupported,
            List<String> subjectTypesSupported,
            List<String> idTokenSigningAlgValuesSupported,
            List<String> tokenEndpointAuthMethodsSupported,
            List<String> revocationEndpointAuthMethodsSupported,
            List<String> introspectionEndpointAuthMethodsSupported,
            List<String> claimsSupported,
            List<String> codeChallengeMethodsSupported,
            List<String> promptValuesSupported,
            boolean claimsParameterSupported,
            boolean requestParameterSupported,
            boolean requestUriParameterSupported,
            boolean authorizationResponseIssParameterSupported,
            boolean requirePushedAuthorizationRequests,
            List<String> dpopSigningAlgValuesSupported) {
    }
}
