package io.storeman.oauth.keys;

import java.time.Instant;
import java.util.Objects;

/**
 * A signing key as stored: when it starts signing, when it stops ({@code retiresAt}), and when it leaves the JWKS
 * ({@code expiresAt}); null when not planned yet.
 */
public record StoredKey(SigningKey key, Instant activatesAt, Instant retiresAt, Instant expiresAt) {

    public StoredKey {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(activatesAt, "activatesAt");
    }

    /** This stored key, signing through {@code signatures}. */
    StoredKey signedBy(SignatureProvider signatures) {
        SigningKey translated = key.signedBy(signatures);
        return translated == key ? this : new StoredKey(translated, activatesAt, retiresAt, expiresAt);
    }

    /** Whether the key has come to sign at {@code now} (it may have been retired since). */
    boolean activatedBy(Instant now) {
        return !activatesAt.isAfter(now);
    }

    /** Whether the key is still published at {@code now}. */
    boolean unexpiredAt(Instant now) {
        return expiresAt == null || expiresAt.isAfter(now);
    }

    /** Whether no retirement is planned for the key yet: it is the current key, or the next one. */
    boolean unretired() {
        return retiresAt == null;
    }
}
