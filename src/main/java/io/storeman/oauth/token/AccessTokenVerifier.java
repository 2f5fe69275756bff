package io.storeman.oauth.token;

import io.storeman.common.StoremanConfig;
import io.storeman.oauth.OAuthError;
import io.storeman.oauth.Scopes;
import io.storeman.oauth.keys.SigningKey;
import io.storeman.oauth.keys.SigningKeys;
import jakarta.enterprise.context.ApplicationScoped;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.smallrye.jwt.auth.principal.DefaultJWTParser;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.JWTParser;
import io.smallrye.jwt.auth.principal.ParseException;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jose4j.jwx.JsonWebStructure;
import org.jose4j.lang.JoseException;

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

    private final SignatureCheck check;
    private final SigningKeys keys;
    private final Cache<String, Verified> verified = Caffeine.newBuilder()
            .maximumSize(VERIFIED_CACHE_SIZE)
            .expireAfterWrite(Duration.ofMinutes(10))
            .build();

    AccessTokenVerifier(SigningKeys keys, StoremanConfig config) {
        this.keys = keys;
        this.check = new SignatureCheck(keys::published, config.issuer(), config.audience());
    }

    /**
     * The signature and claim checks (without the memory of verified tokens), given the published keys by
     * {@code kid}: see {@link SignatureCheck}.
     */
    public static SignatureCheck check(Function<String, Optional<SigningKey>> published, String issuer,
            String audience) {
        return new SignatureCheck(published, issuer, audience);
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
            JsonWebToken claims = check.verify(token);
            String clientId = claims.getClaim("client_id");
            String scope = claims.getClaim("scope");
            if (clientId == null || claims.getSubject() == null || claims.getTokenID() == null) {
                return Optional.empty();
            }
            String family = claims.getClaim(AccessToken.FAMILY_CLAIM);
            Long generation = generation(claims);
            if ((family == null) != (generation == null)
                    || generation != null && (generation < 0 || generation > Integer.MAX_VALUE)) {
                return Optional.empty();
            }
            AccessToken accessToken = new AccessToken(claims.getTokenID(), claims.getSubject(), clientId,
                    Scopes.parseStored(scope == null ? "" : scope),
                    claims.getIssuedAtTime(), claims.getExpirationTime(),
                    family == null ? null : UUID.fromString(family),
                    generation == null ? 0 : generation.intValue(), thumbprint(claims));
            verified.put(token, new Verified(accessToken, check.kid(token)));
            return Optional.of(accessToken);
        } catch (ParseException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The {@code cnf.jkt} of a DPoP-bound token (RFC 9449 §6.1), null when there is no {@code cnf}. */
    private static String thumbprint(JsonWebToken claims) {
        Object cnf = claims.getClaim(AccessToken.CONFIRMATION_CLAIM);
        if (cnf == null) {
            return null;
        }
        Object member = cnf instanceof jakarta.json.JsonObject json ? json.get(AccessToken.THUMBPRINT_MEMBER)
                : cnf instanceof Map<?, ?> map ? map.get(AccessToken.THUMBPRINT_MEMBER) : null;
        String jkt = member instanceof jakarta.json.JsonString string ? string.getString()
                : member instanceof String string ? string : null;
        if (jkt == null || jkt.isEmpty() || jkt.length() > 64) {
            throw new IllegalArgumentException("cnf.jkt is not a thumbprint");
        }
        return jkt;
    }

    /** The {@code gen} claim, which must be a whole number when present. */
    private static Long generation(JsonWebToken claims) {
        Object value = claims.getClaim(AccessToken.GENERATION_CLAIM);
        if (value == null) {
            return null;
        }
        if (value instanceof jakarta.json.JsonNumber number && number.isIntegral()) {
            return number.longValueExact();
        }
        if (value instanceof Long || value instanceof Integer) {
            return ((Number) value).longValue();
        }
        throw new IllegalArgumentException("gen is not a whole number");
    }

    /**
     * Signature and claims through smallrye-jwt's parser, with our own key resolution: the header must name a
     * {@code kid} we publish, carry that key's one algorithm (ES256 or RS256; never {@code none}, HMAC, or another
     * key's algorithm) and {@code typ} {@code at+jwt} (RFC 9068 §4, RFC 8725 §3.11), before the parser, given that key
     * alone and that algorithm alone, checks the signature, {@code iss}, {@code aud}, {@code exp} and {@code iat}.
     * Presented tokens are anyone's input, so the JDK's provider (updated with the JDK) checks them, never the
     * native library that signs: the verifier remembers a token it checked, so the JDK's slower ES256 check is paid
     * once per token, and a native check would save little (docs/performance.md, "The signing provider"). jose4j,
     * under smallrye-jwt, refuses an ECDSA signature whose R or S is zero (CVE-2022-21449) before the provider sees
     * it.
     */
    public static final class SignatureCheck {

        private static final String TYPE_PREFIX = "application/";

        private final Function<String, Optional<SigningKey>> published;
        private final String issuer;
        private final String audience;
        private final JWTParser parser = new DefaultJWTParser();
        /** One parser configuration per key: only published keys get one, a handful a year since the start. */
        private final Map<String, Keyed> contexts = new ConcurrentHashMap<>();

        SignatureCheck(Function<String, Optional<SigningKey>> published, String issuer, String audience) {
            this.published = published;
            this.issuer = issuer;
            this.audience = audience;
        }

        /** The verified claims, or {@link ParseException}. */
        public JsonWebToken verify(String token) throws ParseException {
            JsonWebStructure header = header(token);
            if (!isAccessTokenType(header.getHeader("typ"))) {
                throw new ParseException("typ is not " + AccessTokenIssuer.TYPE);
            }
            String kid = header.getKeyIdHeaderValue();
            SigningKey key = published.apply(kid)
                    .filter(k -> k.algorithm().name().equals(header.getAlgorithmHeaderValue()))
                    .orElseThrow(() -> new ParseException("Unknown kid, or not the kid's algorithm"));
            return parser.parse(token, context(key));
        }

        /** The {@code kid} of a token {@link #verify} accepted. */
        String kid(String token) throws ParseException {
            return header(token).getKeyIdHeaderValue();
        }

        private static JsonWebStructure header(String token) throws ParseException {
            try {
                return JsonWebStructure.fromCompactSerialization(token);
            } catch (JoseException e) {
                throw new ParseException("Not a compact JWS");
            }
        }

        /** As jose4j compares {@code typ}: case-insensitive, {@code application/} optional (RFC 7515 §4.1.9). */
        private static boolean isAccessTokenType(String typ) {
            if (typ == null) {
                return false;
            }
            String type = typ.toLowerCase(Locale.ROOT);
            if (type.startsWith(TYPE_PREFIX)) {
                type = type.substring(TYPE_PREFIX.length());
            }
            return type.equals(AccessTokenIssuer.TYPE.toLowerCase(Locale.ROOT));
        }

        private JWTAuthContextInfo context(SigningKey key) {
            Keyed known = contexts.get(key.kid());
            if (known != null && known.key() == key.publicKey()) {
                return known.context();
            }
            JWTAuthContextInfo context = new JWTAuthContextInfo(key.publicKey(), issuer);
            context.setSignatureAlgorithm(Set.of(SignatureAlgorithm.fromAlgorithm(key.algorithm().name())));
            context.setExpectedAudience(Set.of(audience));
            context.setRequiredClaims(Set.of("iat", "exp", "jti", "sub", "client_id"));
            context.setClockSkew(CLOCK_SKEW_SECONDS);
            context.setExpGracePeriodSecs(CLOCK_SKEW_SECONDS);
            contexts.put(key.kid(), new Keyed(key.publicKey(), context));
            return context;
        }

        private record Keyed(java.security.PublicKey key, JWTAuthContextInfo context) {
        }
    }
}
