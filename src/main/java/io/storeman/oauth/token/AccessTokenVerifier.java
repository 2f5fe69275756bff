package io.storeman.oauth.token;

import io.storeman.common.StoremanConfig;
import io.storeman.oauth.OAuthError;
import io.storeman.oauth.Scopes;
import io.storeman.oauth.keys.SigningKeys;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.MalformedClaimException;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.lang.UnresolvableKeyException;

/**
 * Verifies access tokens as RFC 9068 §4 and RFC 8725 ask: RS256 only (no {@code none}, no HMAC), {@code typ}
 * {@code at+jwt}, a {@code kid} we publish, exact {@code iss}, our {@code aud}, and {@code exp}, {@code iat},
 * {@code jti}, {@code sub}, {@code client_id} present. It does not consult the revocation list.
 */
@ApplicationScoped
public class AccessTokenVerifier {

    private static final int CLOCK_SKEW_SECONDS = 30;
    private static final int MAX_TOKEN_LENGTH = 8192;

    private final JwtConsumer consumer;

    AccessTokenVerifier(SigningKeys keys, StoremanConfig config) {
        this.consumer = new JwtConsumerBuilder()
                .setJwsAlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT,
                        AlgorithmIdentifiers.RSA_USING_SHA256)
                .setExpectedType(true, AccessTokenIssuer.TYPE)
                .setVerificationKeyResolver((jws, nested) -> keys.verificationKey(jws.getKeyIdHeaderValue())
                        .orElseThrow(() -> new UnresolvableKeyException("Unknown kid")))
                .setExpectedIssuer(config.issuer())
                .setExpectedAudience(config.audience())
                .setRequireExpirationTime()
                .setRequireIssuedAt()
                .setRequireJwtId()
                .setRequireSubject()
                .setAllowedClockSkewInSeconds(CLOCK_SKEW_SECONDS)
                .build();
    }

    /** The claims of a valid token, or {@code invalid_token}. */
    public AccessToken verify(String token) {
        return tryVerify(token).orElseThrow(OAuthError.INVALID_TOKEN::exception);
    }

    /** The claims of a valid token, or empty: for callers that treat a bad token as "not ours". */
    public Optional<AccessToken> tryVerify(String token) {
        if (token == null || token.length() > MAX_TOKEN_LENGTH) {
            return Optional.empty();
        }
        try {
            JwtClaims claims = consumer.processToClaims(token);
            String clientId = claims.getStringClaimValue("client_id");
            String scope = claims.getStringClaimValue("scope");
            if (clientId == null) {
                return Optional.empty();
            }
            return Optional.of(new AccessToken(claims.getJwtId(), claims.getSubject(), clientId,
                    Scopes.parseStored(scope == null ? "" : scope),
                    claims.getIssuedAt().getValue(), claims.getExpirationTime().getValue()));
        } catch (InvalidJwtException | MalformedClaimException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
