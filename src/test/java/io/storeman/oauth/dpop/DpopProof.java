package io.storeman.oauth.dpop;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.oauth2.sdk.dpop.DefaultDPoPProofFactory;
import com.nimbusds.oauth2.sdk.token.DPoPAccessToken;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * DPoP proofs for tests: good ones from Nimbus's {@link DefaultDPoPProofFactory} (a real client library), hostile
 * ones assembled by hand, so that any header and claim can be wrong.
 */
public final class DpopProof {

    public static final String ISSUER = "http://storeman.test";

    private final ECKey key;
    private final DefaultDPoPProofFactory factory;

    private DpopProof(ECKey key) {
        this.key = key;
        try {
            this.factory = new DefaultDPoPProofFactory(key, JWSAlgorithm.ES256);
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A client's new P-256 key. */
    public static DpopProof newKey() {
        try {
            return new DpopProof(new ECKeyGenerator(Curve.P_256).generate());
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    public ECKey key() {
        return key;
    }

    /** The key's RFC 7638 thumbprint, as {@code cnf.jkt} must carry it. */
    public String jkt() {
        try {
            return key.computeThumbprint().toString();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Nimbus's proof for {@code method} on {@code path} of the issuer. */
    public String proof(String method, String path) {
        try {
            return factory.createDPoPJWT(method, URI.create(ISSUER + path)).serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Nimbus's proof presenting {@code accessToken} ({@code ath}). */
    public String proof(String method, String path, String accessToken) {
        try {
            return factory.createDPoPJWT(method, URI.create(ISSUER + path), new DPoPAccessToken(accessToken))
                    .serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Nimbus's proof carrying the server's {@code nonce} (RFC 9449 §8). */
    public String proof(String method, String path, String accessToken, String nonce) {
        try {
            return factory.createDPoPJWT(method, URI.create(ISSUER + path),
                    accessToken == null ? null : new DPoPAccessToken(accessToken),
                    new com.nimbusds.openid.connect.sdk.Nonce(nonce)).serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The claims of a good proof, to spoil one by one. */
    public static Map<String, Object> claims(String method, String path, String accessToken) {
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("jti", UUID.randomUUID().toString());
        claims.put("htm", method);
        claims.put("htu", ISSUER + path);
        claims.put("iat", Instant.now().getEpochSecond());
        if (accessToken != null) {
            claims.put("ath", DpopProofs.tokenHash(accessToken));
        }
        return claims;
    }

    /** The header of a good proof by this key, to spoil. */
    public Map<String, Object> header() {
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("typ", "dpop+jwt");
        header.put("alg", "ES256");
        header.put("jwk", key.toPublicJWK().toJSONObject());
        return header;
    }

    /** {@code header} and {@code claims} signed ES256 by this key, whatever the header says. */
    public String signed(Map<String, Object> header, Map<String, Object> claims) {
        String input = encode(header) + "." + encode(claims);
        try {
            Base64URL signature = new ECDSASigner(key).sign(new JWSHeader(JWSAlgorithm.ES256),
                    input.getBytes(StandardCharsets.US_ASCII));
            return input + "." + signature;
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An unsecured proof: {@code alg} {@code none}, no signature. */
    public String unsigned(Map<String, Object> claims) {
        Map<String, Object> header = header();
        header.put("alg", "none");
        return encode(header) + "." + encode(claims) + ".";
    }

    /** A proof MACed HS256 with a secret, its jwk the symmetric key. */
    public static String hmac(Map<String, Object> claims) {
        try {
            byte[] secret = new byte[32];
            new java.security.SecureRandom().nextBytes(secret);
            Map<String, Object> header = new LinkedHashMap<>();
            header.put("typ", "dpop+jwt");
            header.put("alg", "HS256");
            header.put("jwk", Map.of("kty", "oct", "k", Base64URL.encode(secret).toString()));
            String input = encode(header) + "." + encode(claims);
            Base64URL mac = new MACSigner(secret).sign(new JWSHeader(JWSAlgorithm.HS256),
                    input.getBytes(StandardCharsets.US_ASCII));
            return input + "." + mac;
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The key with its private part, for a header that must be refused. */
    public Map<String, Object> privateJwk() {
        return ((JWK) key).toJSONObject();
    }

    private static String encode(Map<String, Object> json) {
        return Base64URL.encode(JSONObjectUtils.toJSONString(json).getBytes(StandardCharsets.UTF_8)).toString();
    }
}
