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
        String base = config.issuer().endsWith("/")
                ? config.issuer().substring(0, config.issuer().length() - 1)
                : config.issuer();
        this.metadata = new Metadata(config.issuer(),
                base + "/oauth/authorize",
                base + "/oauth/token",
                base + UserInfoResource.PATH,
                base + "/.well-known/jwks.json",
                base + "/oauth/revoke",
                base + "/oauth/introspect",
                base + "/oauth/logout",
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
                DpopProofs.ALGORITHMS);
    }

    /** The document both endpoints answer. */
    public Metadata metadata() {
        return metadata;
    }

    /**
     * The RFC 8414 §2 fields this server supports, with the OpenID Provider fields of Discovery 1.0 §3 (RFC 8414 §2
     * lets a server add them); RFC 9207 for the {@code iss} authorization response parameter. UserInfo answers plain
     * JSON, so there is no {@code userinfo_signing_alg_values_supported}. {@code request_uri_parameter_supported} is
     * stated because Discovery's default for it is true. RFC 9449 §5.1 for the DPoP proof algorithms.
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
            List<String> dpopSigningAlgValuesSupported) {
    }
}
