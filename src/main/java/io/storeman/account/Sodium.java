package io.storeman.account;

import com.sun.jna.Native;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Argon2id through libsodium (the system's libsodium23, over JNA), about twice as fast as the pure-Java
 * implementation at the same parameters. Its PHC strings are the same format {@link PasswordHasher} writes, so
 * hashes made by either verify with either. Absent (no library, or a native image without JNA), the caller falls
 * back to BouncyCastle.
 */
final class Sodium {

    private static final Logger LOG = Logger.getLogger(Sodium.class);
    private static final int ALG_ARGON2ID13 = 2;
    private static final int STR_BYTES = 128;

    /** The libsodium functions we call; names and signatures as in sodium/crypto_pwhash.h. */
    interface Library extends com.sun.jna.Library {
        int sodium_init();

        int crypto_pwhash_str_alg(byte[] out, byte[] password, long passwordLength, long opsLimit, long memLimit,
                int algorithm);

        int crypto_pwhash_str_verify(byte[] hash, byte[] password, long passwordLength);
    }

    private final Library library;

    private Sodium(Library library) {
        this.library = library;
    }

    /** libsodium, if it can be loaded and initialised here. */
    static Optional<Sodium> load() {
        try {
            Library library = Native.load("sodium", Library.class);
            if (library.sodium_init() < 0) {
                return Optional.empty();
            }
            return Optional.of(new Sodium(library));
        } catch (Throwable e) {
            LOG.infof("libsodium unavailable (%s); Argon2id runs on BouncyCastle", e.getMessage());
            return Optional.empty();
        }
    }

    /** A PHC string for Argon2id with one lane (libsodium supports no other). */
    String hash(String password, int memoryKib, int iterations) {
        byte[] out = new byte[STR_BYTES];
        byte[] bytes = password.getBytes(StandardCharsets.UTF_8);
        int status = library.crypto_pwhash_str_alg(out, bytes, bytes.length, iterations, memoryKib * 1024L,
                ALG_ARGON2ID13);
        if (status != 0) {
            throw new IllegalStateException("libsodium could not hash (out of memory?)");
        }
        int end = 0;
        while (end < out.length && out[end] != 0) {
            end++;
        }
        return new String(out, 0, end, StandardCharsets.US_ASCII);
    }

    /** Constant-time check of a password against an Argon2id PHC string with one lane. */
    boolean verify(String password, String phc) {
        byte[] hash = (phc + "\0").getBytes(StandardCharsets.US_ASCII);
        byte[] bytes = password.getBytes(StandardCharsets.UTF_8);
        return library.crypto_pwhash_str_verify(hash, bytes, bytes.length) == 0;
    }
}
