package io.storeman.oauth.token;

import io.storeman.common.StoremanConfig;
import io.storeman.oauth.keys.SigningKey;
import io.storeman.oauth.keys.SigningKeys;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.MalformedClaimException;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.jwt.consumer.JwtContext;
import org.jose4j.jwx.JsonWebStructure;
import org.jose4j.lang.UnresolvableKeyException;

/**
 * Reads an {@code id_token_hint} (OpenID Connect Core 1.0 §3.1.2.1, RP-Initiated Logout 1.0 §2): an ID token this
 * server issued, told by its signature under a key the JWKS publishes, in that key's one algorithm, with
 * {@code typ} {@code JWT} (so an access token, {@code at+jwt}, is never taken for one) and our {@code iss}. Its
 * expiry does not matter: a hint may be an old token, and it only names who the client believes is signed in.
 */
@ApplicationScoped
public class IdTokenHints {

    /** Longer than any ID token this server signs (an RS256 one of 4096 bits is under 1.5 KB). */
    static final int MAX_LENGTH = 4096;

    /** What a verified hint says: the {@code sub}, the audience (client ids) and {@code auth_time} if present. */
    public record IdTokenHint(String subject, List<String> audience, Optional<Long> authTime) {

        /** Whether the hint was issued to {@code clientId}. */
        public boolean issuedTo(String clientId) {
            return audience.contains(clientId);
        }
    }

    private final SigningKeys keys;
    private final String issuer;
    private final JwtConsumer consumer;

    IdTokenHints(SigningKeys keys, StoremanConfig config) {
        this.keys = keys;
        this.issuer = config.issuer();
        this.consumer = new JwtConsumerBuilder()
                .setVerificationKeyResolver((jws, nesting) -> key(jws).publicKey())
                .setSkipAllValidators() // expiry deliberately ignored; iss, sub and typ are checked below
                .build();
    }

    /** The hint's claims when it is an ID token of ours, else empty (malformed, forged, unknown key, too long). */
    public Optional<IdTokenHint> verify(String idToken) {
        if (idToken == null || idToken.isEmpty() || idToken.length() > MAX_LENGTH) {
            return Optional.empty();
        }
        try {
            JwtContext context = consumer.process(idToken);
            JsonWebStructure header = context.getJoseObjects().get(0);
            JwtClaims claims = context.getJwtClaims();
            if (!isIdTokenType(header.getHeader("typ")) || !issuer.equals(claims.getIssuer())
                    || claims.getSubject() == null || claims.getSubject().isEmpty()) {
                return Optional.empty();
            }
            Object authTime = claims.getClaimValue("auth_time");
            return Optional.of(new IdTokenHint(claims.getSubject(), claims.getAudience(),
                    authTime instanceof Number number ? Optional.of(number.longValue()) : Optional.empty()));
        } catch (InvalidJwtException | MalformedClaimException | ClassCastException e) {
            return Optional.empty();
        }
    }

    /** The published key the header's {@code kid} names, if the header's {@code alg} is that key's algorithm. */
    private SigningKey key(JsonWebStructure jws) throws UnresolvableKeyException {
        SigningKey key = keys.published(jws.getKeyIdHeaderValue())
                .orElseThrow(() -> new UnresolvableKeyException("Unknown kid"));
        if (!key.algorithm().name().equals(jws.getAlgorithmHeaderValue())) {
            throw new UnresolvableKeyException("The alg is not the key's");
        }
        return key;
    }

    /** {@code JWT}, compared as RFC 7515 §4.1.9 says: case-insensitive, {@code application/} optional. */
    private static boolean isIdTokenType(String typ) {
        if (typ == null) {
            return false;
        }
        String type = typ.toLowerCase(Locale.ROOT);
        return type.equals("jwt") || type.equals("application/jwt");
    }
}
