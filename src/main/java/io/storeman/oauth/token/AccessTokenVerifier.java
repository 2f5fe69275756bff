package io.storeman.oauth.token;

import io.storeman.common.StoremanConfig;
import io.storeman.oauth.OAuthError;
import io.storeman.oauth.Scopes;
import io.storeman.oauth.keys.SigningAlgorithm;
import io.storeman.oauth.keys.SigningKey;
import io.storeman.oauth.keys.SigningKeys;
import jakarta.enterprise.context.ApplicationScoped;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.MalformedClaimException;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.jwt.consumer.JwtContext;
import org.jose4j.lang.UnresolvableKeyException;

/**
 * Verifies access tokens as RFC 9068 §4 and RFC 8725 ask: a {@code kid} we publish, signed in that key's one
 * algorithm (ES256 or RS256; never {@code none}, HMAC, or another key's algorithm), {@code typ} {@code at+jwt}, exact
 * {@code iss}, our {@code aud}, and {@code exp}, {@code iat}, {@code jti}, {@code sub}, {@code client_id} present. It
 * does not consult the revocation list.
 */
@ApplicationScoped
public class AccessTokenVerifier {

    /** How long past its {@code exp} a token is still accepted: a revocation must outlive a token by as much. */
    public static final int CLOCK_SKEW_SECONDS = 30;
    private static final int MAX_TOKEN_LENGTH = 8192;

    /** Bounded: at most this many tokens are remembered (about 1 KiB each). */
    private static final int VERIFIED_CACHE_SIZE = 10_000;

    private final JwtConsumer consumer;
    private final SigningKeys keys;
    private final Cache<String, Verified> verified = Caffeine.newBuilder()
            .maximumSize(VERIFIED_CACHE_SIZE)
            .expireAfterWrite(Duration.ofMinutes(10))
            .build();

    AccessTokenVerifier(SigningKeys keys, StoremanConfig config) {
        this.keys = keys;
        this.consumer = consumer(keys::published, config.issuer(), config.audience());
    }

    /**
     * The signature and claim checks (without the memory of verified tokens), given the published keys by
     * {@code kid}: a token is checked only with the key its {@code kid} names, and only if its {@code alg} is that
     * key's algorithm. Presented tokens are anyone's input, so the JDK's provider (updated with the JDK) checks
     * them, never the native library that signs (Conscrypt's newest build here dates from 2021); a token is checked
     * once and then remembered, so the JDK's slower ES256 check (about 0.4 ms) is paid once per token. jose4j refuses
     * an ECDSA signature whose R or S is zero (CVE-2022-21449) before the provider sees it.
     */
    public static JwtConsumer consumer(Function<String, Optional<SigningKey>> published, String issuer,
            String audience) {
        return new JwtConsumerBuilder()
                .setJwsAlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT,
                        Arrays.stream(SigningAlgorithm.values()).map(Enum::name).toArray(String[]::new))
                .setExpectedType(true, AccessTokenIssuer.TYPE)
                .setVerificationKeyResolver((jws, nested) -> published.apply(jws.getKeyIdHeaderValue())
                        .filter(key -> key.algorithm().name().equals(jws.getAlgorithmHeaderValue()))
                        .map(SigningKey::publicKey)
                        .orElseThrow(() -> new UnresolvableKeyException("Unknown kid, or not the kid's algorithm")))
                .setExpectedIssuer(issuer)
                .setExpectedAudience(audience)
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

    /**
     * The claims of a valid token, or empty: for callers that treat a bad token as "not ours". A token verified
     * once is remembered (by its exact text) until it expires, so a client calling again costs a map lookup, not a
     * signature check; expiry is still checked on every call, and revocation is the caller's check.
     */
    public Optional<AccessToken> tryVerify(String token) {
        if (token == null || token.length() > MAX_TOKEN_LENGTH) {
            return Optional.empty();
        }
        Verified known = verified.getIfPresent(token);
        if (known != null) {
            boolean stillValid = Instant.now().getEpochSecond() < known.token().expiresAt() + CLOCK_SKEW_SECONDS
                    && keys.published(known.kid()).isPresent();
            return stillValid ? Optional.of(known.token()) : Optional.empty();
        }
        return verifySignatureAndClaims(token);
    }

    /** How many verified tokens are remembered (for tests and metrics). */
    public long rememberedTokens() {
        verified.cleanUp();
        return verified.estimatedSize();
    }

    /** A verified token and the key that signed it: withdrawing the key withdraws the token. */
    private record Verified(AccessToken token, String kid) {
    }

    private Optional<AccessToken> verifySignatureAndClaims(String token) {
        try {
            JwtContext context = consumer.process(token);
            JwtClaims claims = context.getJwtClaims();
            String kid = context.getJoseObjects().get(0).getKeyIdHeaderValue();
            String clientId = claims.getStringClaimValue("client_id");
            String scope = claims.getStringClaimValue("scope");
            if (clientId == null) {
                return Optional.empty();
            }
            String family = claims.getStringClaimValue(AccessToken.FAMILY_CLAIM);
            Long generation = claims.getClaimValue(AccessToken.GENERATION_CLAIM, Long.class);
            if ((family == null) != (generation == null)
                    || generation != null && (generation < 0 || generation > Integer.MAX_VALUE)) {
                return Optional.empty();
            }
            AccessToken accessToken = new AccessToken(claims.getJwtId(), claims.getSubject(), clientId,
                    Scopes.parseStored(scope == null ? "" : scope),
                    claims.getIssuedAt().getValue(), claims.getExpirationTime().getValue(),
                    family == null ? null : UUID.fromString(family),
                    generation == null ? 0 : generation.intValue());
            verified.put(token, new Verified(accessToken, kid));
            return Optional.of(accessToken);
        } catch (InvalidJwtException | MalformedClaimException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
