package io.storeman.oauth.keys;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.KeyFactory;
import java.security.SecureRandom;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** AES-256-GCM under the key-encryption keys, on its own (K1-K4). */
class KeyEncryptionTest {

    private static final SigningKey KEY = SigningAlgorithm.ES256.newKey(2048);
    private static final byte[] PKCS8 = KEY.privateKey().getEncoded();

    static String newKek() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return Base64.getEncoder().encodeToString(bytes);
    }

    private static KeyEncryption only(String kek) {
        return KeyEncryption.configured(Optional.of(kek), List.of());
    }

    @Test
    void sealThenOpenWhenSameRowAndKekThenTheSameKey() {
        KeyEncryption encryption = only(newKek());

        KeyEncryption.Sealed sealed = encryption.seal(PKCS8, KEY.kid(), "ES256");

        assertEquals(encryption.current().orElseThrow(), sealed.encryption());
        assertArrayEquals(PKCS8, encryption.open(sealed.encryption(), sealed.privateKey(), KEY.kid(), "ES256"));
    }

    @Test
    void sealWhenCalledTwiceThenFreshNonceAndNoPlainKeyInside() throws Exception {
        KeyEncryption encryption = only(newKek());

        byte[] first = Base64.getDecoder().decode(encryption.seal(PKCS8, KEY.kid(), "ES256").privateKey());
        byte[] second = Base64.getDecoder().decode(encryption.seal(PKCS8, KEY.kid(), "ES256").privateKey());

        assertEquals(12 + PKCS8.length + 16, first.length, "nonce, ciphertext and tag");
        assertFalse(Arrays.equals(Arrays.copyOf(first, 12), Arrays.copyOf(second, 12)),
                "each encryption draws its own nonce");
        assertNotEquals(Base64.getEncoder().encodeToString(first), Base64.getEncoder().encodeToString(second));
        assertThrows(Exception.class,
                () -> KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(first)));
    }

    @Test
    void openWhenEncryptedUnderAKekNotConfiguredThenRefusedNamingItsId() {
        KeyEncryption encryption = only(newKek());
        KeyEncryption.Sealed sealed = encryption.seal(PKCS8, KEY.kid(), "ES256");

        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> only(newKek()).open(sealed.encryption(), sealed.privateKey(), KEY.kid(), "ES256"));

        assertTrue(e.getMessage().contains("neither storeman.keys.encryption-key"), e.getMessage());
        assertTrue(e.getMessage().contains(sealed.encryption()), "names the KEK by its id");
    }

    @Test
    void openWhenMovedToAnotherKidOrAlgorithmThenRefused() {
        KeyEncryption encryption = only(newKek());
        KeyEncryption.Sealed sealed = encryption.seal(PKCS8, KEY.kid(), "ES256");

        IllegalStateException kid = assertThrows(IllegalStateException.class,
                () -> encryption.open(sealed.encryption(), sealed.privateKey(), "another-kid", "ES256"));
        assertThrows(IllegalStateException.class,
                () -> encryption.open(sealed.encryption(), sealed.privateKey(), KEY.kid(), "RS256"));

        assertTrue(kid.getMessage().contains("another-kid does not decrypt"), kid.getMessage());
    }

    @Test
    void openWhenCiphertextAlteredThenRefused() {
        KeyEncryption encryption = only(newKek());
        KeyEncryption.Sealed sealed = encryption.seal(PKCS8, KEY.kid(), "ES256");
        byte[] bytes = Base64.getDecoder().decode(sealed.privateKey());
        bytes[20] ^= 1;

        assertThrows(IllegalStateException.class, () -> encryption.open(sealed.encryption(),
                Base64.getEncoder().encodeToString(bytes), KEY.kid(), "ES256"));
        assertThrows(IllegalStateException.class,
                () -> encryption.open(sealed.encryption(), "AAAA", KEY.kid(), "ES256"));
    }

    @Test
    void openWhenNoEncryptionThenThePlainKeyOfEarlierVersions() {
        KeyEncryption encryption = only(newKek());

        assertArrayEquals(PKCS8, encryption.open(null, Base64.getEncoder().encodeToString(PKCS8), KEY.kid(), "ES256"));
    }

    @Test
    void rotationWhenOldKekIsPreviousThenOldRowsOpenAndNewOnesSealUnderTheNewKek() {
        String old = newKek();
        KeyEncryption.Sealed before = only(old).seal(PKCS8, KEY.kid(), "ES256");
        KeyEncryption rotated = KeyEncryption.configured(Optional.of(newKek()), List.of(old));

        assertArrayEquals(PKCS8, rotated.open(before.encryption(), before.privateKey(), KEY.kid(), "ES256"));
        assertEquals(List.of(before.encryption()), rotated.previous());
        KeyEncryption.Sealed after = rotated.seal(PKCS8, KEY.kid(), "ES256");
        assertEquals(rotated.current().orElseThrow(), after.encryption());
        assertNotEquals(before.encryption(), after.encryption());
        assertThrows(IllegalStateException.class,
                () -> only(old).open(after.encryption(), after.privateKey(), KEY.kid(), "ES256"),
                "the old KEK alone cannot read what the new one encrypted");
    }

    @Test
    void currentWhenKekGivenThenItsIdIsDerivedAndRevealsNothingOfIt() {
        String kek = newKek();

        String id = only(kek).current().orElseThrow();

        assertTrue(id.matches("A256GCM:[0-9a-f]{16}"), id);
        assertEquals(id, only(" " + kek + "\n").current().orElseThrow(), "a mounted file's newline is ignored");
        assertFalse(id.contains(kek.substring(0, 8)));
        assertNotEquals(id, only(newKek()).current().orElseThrow());
    }

    @Test
    void sealWhenNoKekThenRefusedNamingTheEnvironmentVariable() {
        KeyEncryption none = KeyEncryption.configured(Optional.empty(), List.of());

        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> none.seal(PKCS8, KEY.kid(), "ES256"));

        assertTrue(e.getMessage().contains("STOREMAN_KEYS_ENCRYPTION_KEY"), e.getMessage());
        assertTrue(none.current().isEmpty());
    }

    @Test
    void configuredWhenNotBase64Of32BytesThenRefusedWithoutRepeatingTheValue() {
        String short16 = Base64.getEncoder().encodeToString(new byte[16]);
        for (String value : new String[] {"not-base64-at-all!", short16}) {
            IllegalStateException current = assertThrows(IllegalStateException.class,
                    () -> KeyEncryption.configured(Optional.of(value), List.of()));
            IllegalStateException previous = assertThrows(IllegalStateException.class,
                    () -> KeyEncryption.configured(Optional.of(newKek()), List.of(value)));

            assertTrue(current.getMessage().startsWith("storeman.keys.encryption-key"), current.getMessage());
            assertTrue(previous.getMessage().startsWith("storeman.keys.previous-encryption-keys"));
            assertFalse(current.getMessage().contains(value) || previous.getMessage().contains(value));
        }
    }
}
