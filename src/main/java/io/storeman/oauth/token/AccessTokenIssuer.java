package io.storeman.oauth.token;

import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.build.JwtClaimsBuilder;
import io.storeman.common.StoremanConfig;
import io.storeman.oauth.Scopes;
import io.storeman.oauth.keys.SigningKey;
import io.storeman.oauth.keys.SigningKeys;
import jakarta.enterprise.context.ApplicationScoped;

/** Builds and signs RFC 9068 access tokens with the active key, in its algorithm (ES256 by default). */
@ApplicationScoped
public class AccessTokenIssuer {

    public static final String TYPE = "at+jwt";

    private final SigningKeys keys;
    private final StoremanConfig config;

    AccessTokenIssuer(SigningKeys keys, StoremanConfig config) {
        this.keys = keys;
        this.config = config;
    }

    public long ttlSeconds() {
        return config.accessTokenTtl().toSeconds();
    }

    /** Signs a token for {@code subject} (a user id, or the client id itself) issued at {@code issuedAt}. */
    public String sign(String jti, String subject, String clientId, Scopes scopes, long issuedAt) {
        return sign(keys.active(), Jwt.claims()
                .issuer(config.issuer())
                .subject(subject)
                .audience(config.audience())
                .claim("client_id", clientId)
                .claim("scope", scopes.toString())
                .issuedAt(issuedAt)
                .expiresAt(issuedAt + ttlSeconds())
                .claim("jti", jti));
    }

    /** Signs {@code claims} as an RFC 9068 access token with {@code key}, in the one algorithm of that key. */
    public static String sign(SigningKey key, JwtClaimsBuilder claims) {
        return claims.jws()
                .keyId(key.kid())
                .header("typ", TYPE)
                .algorithm(SignatureAlgorithm.valueOf(key.algorithm().name()))
                .sign(key.privateKey());
    }
}
