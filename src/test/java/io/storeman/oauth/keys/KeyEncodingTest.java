package io.storeman.oauth.keys;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.RSAKey;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** The configured algorithm, a configured PEM of either type, and the stored form of keys. */
class KeyEncodingTest {

    private static KeyPair pair(String type, Object size) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance(type);
        if (size instanceof String curve) {
            generator.initialize(new ECGenParameterSpec(curve));
        } else {
            generator.initialize((Integer) size);
        }
        return generator.generateKeyPair();
    }

    private static String pem(KeyPair pair) {
        return "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(pair.getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
    }

    @Test
    void configuredWhenEs256OrRs256ThenThatAlgorithm() {
        assertEquals(SigningAlgorithm.ES256, SigningAlgorithm.configured("ES256"));
        assertEquals(SigningAlgorithm.RS256, SigningAlgorithm.configured("RS256"));
        assertEquals(SigningAlgorithm.ES256, SigningAlgorithm.configured(" es256 "));
    }

    @Test
    void configuredWhenAnyOtherAlgorithmThenStartFailsNamingTheSetting() {
        for (String name : new String[] {"HS256", "none", "ES384", "PS256", ""}) {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> SigningAlgorithm.configured(name));
            assertEquals("storeman.keys.algorithm is '" + name + "': it must be ES256 or RS256", e.getMessage());
        }
    }

    @Test
    void fromPemWhenEcP256KeyThenSignsEs256WithItsDerivedPublicKey() throws Exception {
        KeyPair pair = pair("EC", "secp256r1");

        SigningKey key = KeyEncoding.fromPem(pem(pair));

        assertEquals(SigningAlgorithm.ES256, key.algorithm());
        assertArrayEquals(pair.getPublic().getEncoded(), key.publicKey().getEncoded());
        assertEquals(new ECKey.Builder(Curve.P_256, (ECPublicKey) pair.getPublic()).build().computeThumbprint()
                .toString(), key.kid(), "kid is the RFC 7638 thumbprint");
    }

    @Test
    void fromPemWhenRsaKeyThenSignsRs256WithItsDerivedPublicKey() throws Exception {
        KeyPair pair = pair("RSA", 2048);

        SigningKey key = KeyEncoding.fromPem(pem(pair));

        assertEquals(SigningAlgorithm.RS256, key.algorithm());
        assertArrayEquals(pair.getPublic().getEncoded(), key.publicKey().getEncoded());
        assertEquals(new RSAKey.Builder((RSAPublicKey) pair.getPublic()).build().computeThumbprint().toString(),
                key.kid());
    }

    @Test
    void fromPemWhenEcKeyOnAnotherCurveOrNotAKeyThenRefused() throws Exception {
        IllegalStateException p384 = assertThrows(IllegalStateException.class,
                () -> KeyEncoding.fromPem(pem(pair("EC", "secp384r1"))));
        assertTrue(p384.getMessage().contains("P-256"), p384.getMessage());
        assertThrows(IllegalStateException.class, () -> KeyEncoding.fromPem("-----BEGIN PRIVATE KEY-----\nAAAA\n"
                + "-----END PRIVATE KEY-----"));
        assertThrows(IllegalStateException.class, () -> KeyEncoding.fromPem("not a pem at all!"));
    }

    @Test
    void decodeWhenStoredKeyOfEitherAlgorithmThenTheSameKeyAndAlgorithm() {
        for (SigningAlgorithm algorithm : SigningAlgorithm.values()) {
            SigningKey key = algorithm.newKey(2048);
            assertEquals(algorithm.keyType(), key.publicKey().getAlgorithm());

            SigningKey stored = KeyEncoding.decode(key.kid(), algorithm.name(), key.privateKey().getEncoded(),
                    KeyEncoding.stored(key.publicKey()));

            assertEquals(algorithm, stored.algorithm());
            assertEquals(key.publicKey(), stored.publicKey());
            assertEquals(key.privateKey(), stored.privateKey());
        }
        SigningKey ec = SigningAlgorithm.ES256.newKey(2048);
        assertThrows(IllegalStateException.class, () -> KeyEncoding.decode(ec.kid(), "RS256",
                ec.privateKey().getEncoded(), KeyEncoding.stored(ec.publicKey())),
                "a stored key is read only as a key of its recorded algorithm");
    }
}
