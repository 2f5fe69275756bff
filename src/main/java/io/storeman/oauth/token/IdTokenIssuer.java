package io.storeman.oauth.token;

import io.storeman.application.OAuthApplication;
import io.storeman.common.StoremanConfig;
import io.storeman.oauth.keys.SigningAlgorithm;
import io.storeman.oauth.keys.SigningKeys;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;

/**
 * Builds and signs OpenID Connect ID tokens (Core 1.0 §2, §3.1.3.6, docs/security.md O3): header {@code typ}
 * {@code JWT} (never {@code at+jwt}, so neither kind of token passes for the other), signed with the key that signs
 * now in the algorithm the client registered ({@code id_token_signed_response_alg}); claims {@code iss}, {@code sub}
 * as {@link Subjects} derives it for the client, {@code aud} and {@code azp} the client id, {@code iat}, {@code exp}
 * (the access token's lifetime), {@code auth_time}, {@code nonce} when the authorization request had one, and
 * {@code at_hash} of the access token issued beside it.
 */
@ApplicationScoped
public class IdTokenIssuer {

    public static final String TYPE = "JWT";
    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

    private final SigningKeys keys;
    private final Subjects subjects;
    private final StoremanConfig config;

    IdTokenIssuer(SigningKeys keys, Subjects subjects, StoremanConfig config) {
        this.keys = keys;
        this.subjects = subjects;
        this.config = config;
    }

    /**
     * An ID token for {@code userId} as {@code client} sees them, issued at {@code issuedAt} (epoch seconds) beside
     * {@code accessToken}; {@code nonce} null leaves the claim out (always on a refresh).
     */
    public String issue(OAuthApplication client, long userId, String accessToken, long issuedAt, Instant authTime,
            String nonce) {
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(config.issuer());
        claims.setSubject(subjects.subject(client, userId));
        claims.setAudience(client.clientId);
        claims.setClaim("azp", client.clientId);
        claims.setIssuedAt(NumericDate.fromSeconds(issuedAt));
        claims.setExpirationTime(NumericDate.fromSeconds(issuedAt + config.accessTokenTtl().toSeconds()));
        claims.setClaim("auth_time", authTime.getEpochSecond());
        if (nonce != null) {
            claims.setClaim("nonce", nonce);
        }
        claims.setClaim("at_hash", atHash(accessToken));
        SigningAlgorithm algorithm = SigningAlgorithm.valueOf(client.idTokenSignedResponseAlg);
        return AccessTokenIssuer.sign(keys.active(algorithm), claims, TYPE);
    }

    /**
     * Core 1.0 §3.1.3.6: base64url of the left half of the hash of the access token's ASCII octets, the hash being
     * the one of the ID token's {@code alg}: SHA-256 for both RS256 and ES256, the only algorithms we sign with.
     */
    static String atHash(String accessToken) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(accessToken.getBytes(StandardCharsets.US_ASCII));
            return BASE64URL.encodeToString(Arrays.copyOf(digest, digest.length / 2));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
