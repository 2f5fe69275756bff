package io.storeman.oauth.token;

import io.storeman.common.StoremanConfig;
import io.storeman.oauth.Scopes;
import io.storeman.oauth.keys.SigningKey;
import io.storeman.oauth.keys.SigningKeys;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.jwx.HeaderParameterNames;
import org.jose4j.lang.JoseException;

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

    /**
     * Signs a token for {@code subject} (a user id, or the client id itself) issued at {@code issuedAt}; a user's
     * token names its refresh-token family and generation, a client's own token neither (null family).
     */
    public String sign(String jti, String subject, String clientId, Scopes scopes, long issuedAt, UUID family,
            int generation) {
        return sign(jti, subject, clientId, scopes, issuedAt, family, generation, null);
    }

    /** As above, bound to the DPoP key whose RFC 7638 thumbprint is {@code jkt} ({@code cnf.jkt}) unless null. */
    public String sign(String jti, String subject, String clientId, Scopes scopes, long issuedAt, UUID family,
            int generation, String jkt) {
        JwtClaims claims = claims(config.issuer(), config.audience(), jti, subject, clientId, scopes, issuedAt,
                issuedAt + ttlSeconds());
        if (family != null) {
            claims.setClaim(AccessToken.FAMILY_CLAIM, family.toString());
            claims.setClaim(AccessToken.GENERATION_CLAIM, generation);
        }
        if (jkt != null) {
            claims.setClaim(AccessToken.CONFIRMATION_CLAIM, java.util.Map.of(AccessToken.THUMBPRINT_MEMBER, jkt));
        }
        return sign(keys.active(), claims);
    }

    /** The claims of an RFC 9068 access token (§2.2), as {@link #sign(String, String, String, Scopes, long)} makes. */
    public static JwtClaims claims(String issuer, String audience, String jti, String subject, String clientId,
            Scopes scopes, long issuedAt, long expiresAt) {
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(issuer);
        claims.setSubject(subject);
        claims.setAudience(audience);
        claims.setClaim("client_id", clientId);
        claims.setClaim("scope", scopes.toString());
        claims.setIssuedAt(NumericDate.fromSeconds(issuedAt));
        claims.setExpirationTime(NumericDate.fromSeconds(expiresAt));
        claims.setJwtId(jti);
        return claims;
    }

    /**
     * Signs {@code claims} as an RFC 9068 access token with {@code key}, in the one algorithm of that key, through
     * the key's provider (Amazon Corretto Crypto Provider when it loads) with the key already translated for it.
     * jose4j directly (the verifier's library too): the smallrye-jwt builder read its configuration on every token, a
     * tenth of the CPU of a refresh. jose4j turns the provider's DER ECDSA signature into the JOSE form (R || S,
     * RFC 7518 §3.4).
     */
    public static String sign(SigningKey key, JwtClaims claims) {
        return sign(key, claims, TYPE);
    }

    /** As {@link #sign(SigningKey, JwtClaims)}, with the header {@code typ} {@code type}: {@code JWT} for ID tokens. */
    static String sign(SigningKey key, JwtClaims claims, String type) {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setKey(key.providerKey());
        jws.setProviderContext(key.provider().context());
        jws.setDoKeyValidation(false); // SigningKey checked the key against its algorithm once, when it was made
        jws.setKeyIdHeaderValue(key.kid());
        jws.setHeader(HeaderParameterNames.TYPE, type);
        jws.setAlgorithmHeaderValue(key.algorithm().name());
        try {
            return jws.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException("Signing a token failed", e);
        }
    }
}
