package io.storeman.oauth.dpop;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Server-provided DPoP nonces (RFC 9449 §8, §9, docs/security.md B8) without state: the nonce of a time slot of
 * {@code lifetime} is base64url(HMAC-SHA-256(key, slot number)), so every instance sharing the key (a
 * {@code ServerSecrets} entry) makes and accepts the same nonces. The current and the previous slot's nonces are
 * accepted, so a nonce works for at least one lifetime and at most two. A claim longer than {@link #MAX_NONCE_LENGTH}
 * is refused before any work; the comparison takes constant time.
 */
public final class DpopNonces {

    /** A nonce is 43 characters; anything longer is not ours. */
    public static final int MAX_NONCE_LENGTH = 64;

    private final SecretKeySpec key;
    private final long slotSeconds;
    private final Clock clock;

    public DpopNonces(byte[] key, Duration lifetime, Clock clock) {
        this.key = new SecretKeySpec(key, "HmacSHA256");
        this.slotSeconds = Math.max(1, lifetime.toSeconds());
        this.clock = clock;
    }

    /** The nonce clients should use now. */
    public String current() {
        return nonce(slot());
    }

    /** Whether {@code nonce} is this slot's or the previous slot's nonce. */
    public boolean accepts(String nonce) {
        if (nonce == null || nonce.isEmpty() || nonce.length() > MAX_NONCE_LENGTH) {
            return false;
        }
        byte[] presented = nonce.getBytes(StandardCharsets.US_ASCII);
        long slot = slot();
        // Both comparisons always run, so the time taken says nothing about which slot matched.
        boolean current = MessageDigest.isEqual(presented, nonce(slot).getBytes(StandardCharsets.US_ASCII));
        boolean previous = MessageDigest.isEqual(presented, nonce(slot - 1).getBytes(StandardCharsets.US_ASCII));
        return current | previous;
    }

    private long slot() {
        return Math.floorDiv(clock.instant().getEpochSecond(), slotSeconds);
    }

    private String nonce(long slot) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            byte[] tag = mac.doFinal(ByteBuffer.allocate(Long.BYTES).putLong(slot).array());
            return Base64.getUrlEncoder().withoutPadding().encodeToString(tag);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
