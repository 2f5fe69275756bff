package io.storeman.oauth.keys;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.Locale;

/**
 * The signature algorithms of access tokens and ID tokens (the JOSE names). Each key signs with exactly one of them,
 * recorded with the key and published as its {@code alg} (RFC 8725 §3.1), and the server keeps a live key of each
 * (O1). ES256 is the default for access tokens: a P-256 signature costs a fraction of an RSA one. RS256 stays
 * available, as RFC 9068 §2.1 asks, and OpenID Connect requires it for ID tokens.
 */
public enum SigningAlgorithm {

    /** ECDSA on P-256 with SHA-256. */
    ES256("EC"),
    /** RSASSA-PKCS1-v1_5 with SHA-256. */
    RS256("RSA");

    private final String keyType;

    SigningAlgorithm(String keyType) {
        this.keyType = keyType;
    }

    /** The JCA key algorithm of its keys ({@code EC}, {@code RSA}). */
    public String keyType() {
        return keyType;
    }

    /** The algorithm named by {@code storeman.keys.algorithm}; any other name stops the start. */
    public static SigningAlgorithm configured(String name) {
        for (SigningAlgorithm algorithm : values()) {
            if (algorithm.name().equals(name.strip().toUpperCase(Locale.ROOT))) {
                return algorithm;
            }
        }
        throw new IllegalStateException("storeman.keys.algorithm is '" + name + "': it must be ES256 or RS256");
    }

    /** The algorithm a key of this JCA type signs with. */
    static SigningAlgorithm ofKeyType(String keyType) {
        for (SigningAlgorithm algorithm : values()) {
            if (algorithm.keyType.equals(keyType)) {
                return algorithm;
            }
        }
        throw new IllegalArgumentException("No signature algorithm for " + keyType + " keys");
    }

    /** A new key: P-256 for ES256, {@code rsaKeySize} bits for RS256. */
    public SigningKey newKey(int rsaKeySize) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance(keyType);
            if (this == ES256) {
                generator.initialize(new ECGenParameterSpec("secp256r1"));
            } else {
                generator.initialize(rsaKeySize);
            }
            KeyPair pair = generator.generateKeyPair();
            return new SigningKey(KeyEncoding.thumbprint(pair.getPublic()), this, pair.getPrivate(), pair.getPublic());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot generate an " + name() + " key", e);
        }
    }
}
