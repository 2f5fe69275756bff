package io.storeman.oauth.keys;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The private signing keys at rest: AES-256-GCM under a key-encryption key (KEK) from the configuration, so that
 * whoever reads the database or a backup cannot sign tokens (K1). The current KEK encrypts; previous ones only
 * decrypt, so a KEK can be replaced without a moment in which stored keys cannot be read (K4).
 * <p>
 * A stored key is {@code base64(nonce || ciphertext || tag)}, with a fresh random 96-bit nonce each time, and the
 * {@code kid} and algorithm of its row as associated data: copied into another row it does not decrypt (K2). Its
 * {@code key_encryption} names the scheme and the KEK that encrypted it by an id derived from the KEK, never the KEK
 * itself (K3); a row without one holds a plain PKCS#8 key, as written before {@code V10__signing_key_encryption.sql}.
 */
final class KeyEncryption {

    static final String CURRENT_SETTING = "storeman.keys.encryption-key (STOREMAN_KEYS_ENCRYPTION_KEY)";
    static final String PREVIOUS_SETTING =
            "storeman.keys.previous-encryption-keys (STOREMAN_KEYS_PREVIOUS_ENCRYPTION_KEYS)";
    private static final String SCHEME = "A256GCM:";
    private static final int KEK_BYTES = 32;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final byte[] ID_LABEL = "storeman key-encryption key id".getBytes(StandardCharsets.US_ASCII);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Kek current;
    /** Every KEK that may decrypt, current first, by the {@code key_encryption} value of what it encrypted. */
    private final Map<String, Kek> readable;

    private KeyEncryption(Kek current, Map<String, Kek> readable) {
        this.current = current;
        this.readable = readable;
    }

    /** A key-encryption key and the {@code key_encryption} value of what it encrypts; prints only that value. */
    private record Kek(String encryption, SecretKey key) {

        @Override
        public String toString() {
            return encryption;
        }
    }

    /** A private key as stored: its {@code key_encryption} and its {@code private_key} columns. */
    record Sealed(String encryption, String privateKey) {
    }

    /**
     * The KEKs of the configuration: {@code current} (base64 of 32 bytes; absent where no key is kept in the database)
     * and the {@code previous} ones, accepted for decryption only. A value that is not 32 bytes of base64 stops the
     * start; the message never repeats it.
     */
    static KeyEncryption configured(Optional<String> current, List<String> previous) {
        Kek encrypting = current.filter(value -> !value.isBlank()).map(value -> kek(value, CURRENT_SETTING))
                .orElse(null);
        Map<String, Kek> readable = new LinkedHashMap<>();
        if (encrypting != null) {
            readable.put(encrypting.encryption(), encrypting);
        }
        for (String value : previous) {
            if (!value.isBlank()) {
                Kek kek = kek(value, PREVIOUS_SETTING);
                readable.putIfAbsent(kek.encryption(), kek);
            }
        }
        return new KeyEncryption(encrypting, Map.copyOf(readable));
    }

    /** The {@code key_encryption} of what the current KEK encrypts; empty when no KEK is configured. */
    Optional<String> current() {
        return Optional.ofNullable(current).map(Kek::encryption);
    }

    /** The {@code key_encryption} values this instance can decrypt other than the current one's. */
    List<String> previous() {
        List<String> previous = new ArrayList<>(readable.keySet());
        previous.remove(current().orElse(null));
        return List.copyOf(previous);
    }

    /** Encrypts a PKCS#8 private key for the row of {@code kid} and {@code algorithm}, under the current KEK. */
    Sealed seal(byte[] pkcs8, String kid, String algorithm) {
        if (current == null) {
            throw new IllegalStateException("Signing keys are kept in the database, encrypted, and no key-encryption"
                    + " key is set: set " + CURRENT_SETTING + " to the base64 of 32 random bytes");
        }
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        try {
            Cipher cipher = cipher(Cipher.ENCRYPT_MODE, current.key(), nonce, kid, algorithm);
            byte[] sealed = ByteBuffer.allocate(NONCE_BYTES + cipher.getOutputSize(pkcs8.length))
                    .put(nonce).put(cipher.doFinal(pkcs8)).array();
            return new Sealed(current.encryption(), Base64.getEncoder().encodeToString(sealed));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot encrypt the signing key " + kid, e);
        }
    }

    /**
     * The PKCS#8 private key of a row: decrypted when {@code encryption} names a KEK, decoded when it is null (a key
     * stored before encryption). Fails, naming the row and the KEK id, when the KEK is not configured here, or when
     * the ciphertext was altered or belongs to another row.
     */
    byte[] open(String encryption, String privateKey, String kid, String algorithm) {
        if (encryption == null) {
            return decode(privateKey, kid);
        }
        Kek kek = readable.get(encryption);
        if (kek == null) {
            throw new IllegalStateException("The signing key " + kid + " is encrypted under the key-encryption key "
                    + encryption + ", which is neither " + CURRENT_SETTING + " nor among " + PREVIOUS_SETTING);
        }
        byte[] sealed = decode(privateKey, kid);
        if (sealed.length < NONCE_BYTES + TAG_BITS / 8) {
            throw new IllegalStateException("The stored signing key " + kid + " is too short to be encrypted");
        }
        try {
            return cipher(Cipher.DECRYPT_MODE, kek.key(), sealed, kid, algorithm)
                    .doFinal(sealed, NONCE_BYTES, sealed.length - NONCE_BYTES);
        } catch (AEADBadTagException e) {
            throw new IllegalStateException("The signing key " + kid + " does not decrypt under " + encryption
                    + ": it was altered, or it belongs to another row", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot decrypt the signing key " + kid, e);
        }
    }

    private static Cipher cipher(int mode, SecretKey key, byte[] nonce, String kid, String algorithm)
            throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(mode, key, new GCMParameterSpec(TAG_BITS, nonce, 0, NONCE_BYTES));
        cipher.updateAAD(associatedData(kid, algorithm));
        return cipher;
    }

    /** The row a key belongs to (K2): no kid or algorithm holds a NUL, so no two rows share these bytes. */
    private static byte[] associatedData(String kid, String algorithm) {
        return ("storeman signing key\0" + kid + "\0" + algorithm).getBytes(StandardCharsets.UTF_8);
    }

    private static Kek kek(String base64, String setting) {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(base64.strip());
        } catch (IllegalArgumentException e) {
            // Without the cause: its message quotes a character of the value.
            throw new IllegalStateException(setting + " is not base64: give the base64 of 32 random bytes"
                    + " (head -c 32 /dev/urandom | base64)");
        }
        if (bytes.length != KEK_BYTES) {
            throw new IllegalStateException(setting + " decodes to " + bytes.length + " bytes: give the base64 of 32"
                    + " random bytes (head -c 32 /dev/urandom | base64)");
        }
        SecretKey key = new SecretKeySpec(bytes, "AES");
        return new Kek(SCHEME + id(bytes), key);
    }

    /** The first 8 bytes of HMAC-SHA256(KEK, label), in hex: names the KEK and reveals nothing of it (K3). */
    private static String id(byte[] kek) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(kek, "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(ID_LABEL), 0, 8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot derive the id of a key-encryption key", e);
        }
    }

    private static byte[] decode(String base64, String kid) {
        try {
            return Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("The stored signing key " + kid + " is not base64");
        }
    }
}
