package io.storeman.oauth.dpop;

import io.storeman.common.Secrets;
import io.storeman.oauth.OAuthError;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwk.EllipticCurveJsonWebKey;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.OctetKeyPairJsonWebKey;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.MalformedClaimException;
import org.jose4j.jwt.NumericDate;
import org.jose4j.jwx.HeaderParameterNames;
import org.jose4j.lang.JoseException;

/**
 * Checks DPoP proofs (RFC 9449 §4.3) without any state: the caller records the {@code jti} afterwards
 * ({@link DpopReplayCache}, docs/security.md B3). A proof is a compact JWS of at most {@link #MAX_PROOF_LENGTH}
 * characters, {@code typ} {@code dpop+jwt}, signed in one of {@link #ALGORITHMS} (never {@code none} nor HMAC, B1) by
 * the public {@code jwk} of its header (no private member; RSA of 2048 to 4096 bits, B2), with {@code htm} the request's
 * method, {@code htu} the request's URI as the issuer names it (compared without query and fragment, scheme and host
 * in lower case, default port dropped), {@code iat} within {@link #window()} of now either way, a {@code jti} of at most
 * {@link #MAX_JTI_LENGTH} characters, and {@code ath} the hash of the access token when one is presented.
 */
public final class DpopProofs {

    /** The algorithms a proof may be signed in, as the metadata advertises them. */
    public static final List<String> ALGORITHMS = List.of("ES256", "ES384", "RS256", "PS256", "EdDSA");
    public static final String TYPE = "dpop+jwt";
    public static final int MAX_PROOF_LENGTH = 4096;
    public static final int MAX_JTI_LENGTH = 128;
    private static final int MIN_RSA_BITS = 2048;
    private static final int MAX_RSA_BITS = 4096;
    /** Members that only a private or symmetric key has (RFC 7518 §6.2.2, §6.3.2, §6.4; RFC 8037 §2). */
    private static final Set<String> PRIVATE_MEMBERS = Set.of("d", "p", "q", "dp", "dq", "qi", "oth", "k");
    private static final AlgorithmConstraints CONSTRAINTS = new AlgorithmConstraints(
            AlgorithmConstraints.ConstraintType.PERMIT, ALGORITHMS.toArray(String[]::new));

    /**
     * A proof that passed every check: the key's RFC 7638 thumbprint, its {@code jti} and {@code iat}, and its
     * {@code nonce} claim (null without one), which {@link DpopVerifier} checks when nonces are on (B8).
     */
    public record Proof(String jkt, String jti, long issuedAt, String nonce) {

        /** The key under which the replay cache records this proof: a hash of the key and the {@code jti}. */
        public String replayKey() {
            return Secrets.sha256(jkt + ":" + jti);
        }
    }

    private final String issuerBase;
    private final Duration window;
    private final Clock clock;

    /**
     * {@code issuer} is the server's public URL (the {@code iss} of its tokens), from which every {@code htu} is
     * built, so the check holds behind a proxy; {@code window} how far a proof's {@code iat} may lie from now.
     */
    public DpopProofs(String issuer, Duration window, Clock clock) {
        this.issuerBase = issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer;
        this.window = window;
        this.clock = clock;
    }

    public Duration window() {
        return window;
    }

    /** The {@code htu} a proof for a request to {@code path} (starting with "/") must name, normalised. */
    public String htu(String path) {
        return normalise(issuerBase + path);
    }

    /**
     * The checked proof of a request with {@code method} to {@code path}, presenting {@code accessToken} (null when
     * none, as at the token endpoint), or {@code invalid_dpop_proof}.
     */
    public Proof check(String proof, String method, String path, String accessToken) {
        if (proof == null || proof.isEmpty() || proof.length() > MAX_PROOF_LENGTH) {
            throw invalid("The DPoP proof is missing or too long.");
        }
        JsonWebSignature jws = new JsonWebSignature();
        JwtClaims claims;
        PublicJsonWebKey key;
        try {
            jws.setCompactSerialization(proof);
            jws.setAlgorithmConstraints(CONSTRAINTS);
            if (!TYPE.equals(jws.getHeader(HeaderParameterNames.TYPE))) {
                throw invalid("The DPoP proof's typ must be dpop+jwt.");
            }
            if (!ALGORITHMS.contains(jws.getAlgorithmHeaderValue())) {
                throw invalid("The DPoP proof's alg is not one of " + String.join(" ", ALGORITHMS) + ".");
            }
            key = publicKey(jws.getHeaders().getObjectHeaderValue(HeaderParameterNames.JWK));
            jws.setKey(key.getPublicKey());
            if (!jws.verifySignature()) {
                throw invalid("The DPoP proof's signature does not verify with its jwk.");
            }
            claims = JwtClaims.parse(jws.getPayload());
        } catch (JoseException | org.jose4j.jwt.consumer.InvalidJwtException | ClassCastException e) {
            throw invalid("The DPoP proof is not a valid signed JWT.");
        }
        try {
            return checkClaims(claims, key, method, path, accessToken);
        } catch (MalformedClaimException | ClassCastException e) {
            throw invalid("The DPoP proof has a malformed claim.");
        }
    }

    private Proof checkClaims(JwtClaims claims, PublicJsonWebKey key, String method, String path,
            String accessToken) throws MalformedClaimException {
        String jti = claims.getJwtId();
        if (jti == null || jti.isEmpty() || jti.length() > MAX_JTI_LENGTH) {
            throw invalid("The DPoP proof needs a jti of at most " + MAX_JTI_LENGTH + " characters.");
        }
        if (!method.equals(claims.getStringClaimValue("htm"))) {
            throw invalid("The DPoP proof's htm is not this request's method.");
        }
        String htu = claims.getStringClaimValue("htu");
        if (htu == null || !htu(path).equals(normalise(htu))) {
            throw invalid("The DPoP proof's htu is not this request's URI.");
        }
        NumericDate issuedAt = claims.getIssuedAt();
        long now = clock.instant().getEpochSecond();
        if (issuedAt == null || Math.abs(now - issuedAt.getValue()) > window.toSeconds()) {
            throw invalid("The DPoP proof's iat is missing or too far from the server's time.");
        }
        String ath = claims.getStringClaimValue("ath");
        if (accessToken != null && (ath == null || !MessageDigest.isEqual(
                ath.getBytes(StandardCharsets.US_ASCII), tokenHash(accessToken).getBytes(StandardCharsets.US_ASCII)))) {
            throw invalid("The DPoP proof's ath is not the hash of the access token.");
        }
        Object nonce = claims.getClaimValue("nonce");
        if (nonce != null && !(nonce instanceof String)) {
            throw invalid("The DPoP proof's nonce must be a string.");
        }
        return new Proof(key.calculateBase64urlEncodedThumbprint("SHA-256"), jti, issuedAt.getValue(),
                (String) nonce);
    }

    /** The header's {@code jwk}: a public EC, RSA or OKP key of an accepted size, with no private member. */
    @SuppressWarnings("unchecked")
    private static PublicJsonWebKey publicKey(Object header) throws JoseException {
        if (!(header instanceof Map<?, ?> members)) {
            throw invalid("The DPoP proof's header needs a jwk.");
        }
        for (Object member : members.keySet()) {
            if (PRIVATE_MEMBERS.contains(member)) {
                throw invalid("The DPoP proof's jwk must be a public key.");
            }
        }
        JsonWebKey jwk = JsonWebKey.Factory.newJwk((Map<String, Object>) members);
        if (jwk instanceof RsaJsonWebKey rsa) {
            int bits = ((RSAPublicKey) rsa.getPublicKey()).getModulus().bitLength();
            if (bits < MIN_RSA_BITS || bits > MAX_RSA_BITS) {
                throw invalid("The DPoP proof's RSA key must have 2048 to 4096 bits.");
            }
            return rsa;
        }
        if (jwk instanceof EllipticCurveJsonWebKey || jwk instanceof OctetKeyPairJsonWebKey) {
            return (PublicJsonWebKey) jwk;
        }
        throw invalid("The DPoP proof's jwk must be an EC, RSA or OKP public key.");
    }

    /** RFC 9449 §4.2: {@code ath} is base64url(SHA-256(the access token's ASCII)), without padding. */
    public static String tokenHash(String accessToken) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(accessToken.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * RFC 9449 §4.3 with RFC 3986 §6.2.2-§6.2.3: scheme and host in lower case, the scheme's default port dropped, no
     * query nor fragment. Anything that is not an absolute http(s) URI normalises to the empty string, matching no
     * request.
     */
    static String normalise(String uri) {
        try {
            URI parsed = new URI(uri);
            String scheme = parsed.getScheme();
            String host = parsed.getHost();
            if (scheme == null || host == null || parsed.getRawUserInfo() != null) {
                return "";
            }
            scheme = scheme.toLowerCase(Locale.ROOT);
            if (!scheme.equals("https") && !scheme.equals("http")) {
                return "";
            }
            int port = parsed.getPort();
            boolean defaultPort = port == -1 || scheme.equals("https") && port == 443 || scheme.equals("http")
                    && port == 80;
            String path = parsed.getRawPath() == null || parsed.getRawPath().isEmpty() ? "/" : parsed.getRawPath();
            return scheme + "://" + host.toLowerCase(Locale.ROOT) + (defaultPort ? "" : ":" + port) + path;
        } catch (URISyntaxException e) {
            return "";
        }
    }

    static io.storeman.oauth.OAuthException invalid(String description) {
        return OAuthError.INVALID_DPOP_PROOF.exception(description);
    }
}
