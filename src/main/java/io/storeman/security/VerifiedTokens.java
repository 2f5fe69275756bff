package io.storeman.security;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.storeman.oauth.keys.SigningKeys;
import io.storeman.oauth.token.AccessToken;
import io.storeman.oauth.token.AccessTokenVerifier;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.interfaces.RSAPublicKey;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The access tokens this instance has already verified, so that a client calling the API again and again with one
 * token pays for the RS256 signature check and the JWT parsing once, not on every call.
 * <p>
 * Only the outcome of the checks that cannot change is remembered: signature, algorithm, {@code typ}, {@code iss},
 * {@code aud} and the required claims hold for the exact same string forever. What can change is checked on every
 * use: the token must not have expired ({@code exp}, without leeway; a token in its leeway goes through the full
 * verifier), and the key that verified it must still be the one published under its {@code kid} (a key removed or
 * reloaded makes its tokens go through the full verifier again). Revocation and scope are checked by the caller on
 * every request, as before. Only valid tokens are remembered, so garbage cannot fill the cache; it holds at most
 * {@value #MAX_ENTRIES} entries.
 */
@ApplicationScoped
public class VerifiedTokens {

    static final int MAX_ENTRIES = 10_000;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final AccessTokenVerifier verifier;
    private final SigningKeys keys;
    private final Map<String, Entry> verified = new ConcurrentHashMap<>();

    VerifiedTokens(AccessTokenVerifier verifier, SigningKeys keys) {
        this.verifier = verifier;
        this.keys = keys;
    }

    private record Entry(AccessToken token, String kid, RSAPublicKey key) {
    }

    /** The claims of a valid token, or {@code invalid_token}; the same answers as {@link AccessTokenVerifier}. */
    public AccessToken verify(String token) {
        Entry entry = verified.get(token);
        if (entry != null) {
            if (isStillValid(entry)) {
                return entry.token();
            }
            verified.remove(token, entry);
        }
        AccessToken claims = verifier.verify(token);
        remember(token, claims);
        return claims;
    }

    private boolean isStillValid(Entry entry) {
        return System.currentTimeMillis() / 1000 < entry.token().expiresAt()
                && keys.verificationKey(entry.kid()).orElse(null) == entry.key();
    }

    private void remember(String token, AccessToken claims) {
        if (claims.expiresAt() <= System.currentTimeMillis() / 1000) {
            return;
        }
        String kid = kidOf(token);
        RSAPublicKey key = kid == null ? null : keys.verificationKey(kid).orElse(null);
        if (key == null) {
            return;
        }
        if (verified.size() >= MAX_ENTRIES) {
            long now = System.currentTimeMillis() / 1000;
            verified.values().removeIf(old -> old.token().expiresAt() <= now);
            if (verified.size() >= MAX_ENTRIES) {
                verified.clear();
            }
        }
        verified.put(token, new Entry(claims, kid, key));
    }

    /** The {@code kid} of a token the verifier has just accepted (so its header is well-formed JSON). */
    private static String kidOf(String token) {
        try {
            byte[] header = Base64.getUrlDecoder().decode(token.substring(0, token.indexOf('.')));
            JsonNode kid = JSON.readTree(new String(header, StandardCharsets.UTF_8)).get("kid");
            return kid != null && kid.isTextual() ? kid.asText() : null;
        } catch (Exception e) {
            return null;
        }
    }

    int size() {
        return verified.size();
    }
}
