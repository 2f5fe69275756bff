package io.storeman.oauth.authorize;

import io.storeman.common.Secrets;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.regex.Pattern;

/** RFC 7636 with the S256 method only: {@code plain} would let an intercepted request reveal the verifier. */
public final class Pkce {

    public static final String S256 = "S256";
    /** §4.1: 43 to 128 unreserved characters. */
    private static final Pattern VERIFIER = Pattern.compile("[A-Za-z0-9._~-]{43,128}");
    /** §4.2: BASE64URL of a SHA-256 digest, without padding, is exactly 43 characters. */
    private static final Pattern CHALLENGE = Pattern.compile("[A-Za-z0-9_-]{43}");

    private Pkce() {
    }

    public static boolean isValidChallenge(String challenge) {
        return challenge != null && challenge.length() == 43 && CHALLENGE.matcher(challenge).matches();
    }

    /** BASE64URL-ENCODE(SHA256(ASCII(code_verifier))), RFC 7636 §4.2. */
    public static String challengeOf(String verifier) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /** Whether {@code verifier} is well formed and hashes to {@code challenge} (compared in constant time). */
    public static boolean verifies(String verifier, String challenge) {
        return verifier != null && verifier.length() <= 128 && VERIFIER.matcher(verifier).matches()
                && Secrets.constantTimeEquals(challengeOf(verifier), challenge);
    }
}
