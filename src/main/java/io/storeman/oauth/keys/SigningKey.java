package io.storeman.oauth.keys;

import java.security.PrivateKey;
import java.security.PublicKey;
import org.jose4j.jwa.AlgorithmFactoryFactory;
import org.jose4j.lang.JoseException;

/**
 * A key this server signs access tokens with, known by its RFC 7638 thumbprint as {@code kid}, and the one algorithm
 * it signs with (RFC 8725 §3.1): a token naming this {@code kid} with another {@code alg} is refused.
 * {@code privateKey} and {@code publicKey} are the JDK's keys (stored, published, compared); {@code providerKey} is
 * the private key as {@code provider}'s own, translated once, which signs. The key is checked against its algorithm
 * here, once (P-256 for ES256, RSA of at least 2048 bits for RS256), so signing need not check it per token.
 */
public record SigningKey(String kid, SigningAlgorithm algorithm, PrivateKey privateKey, PublicKey publicKey,
        SignatureProvider provider, PrivateKey providerKey) {

    public SigningKey {
        if (!algorithm.keyType().equals(privateKey.getAlgorithm())) {
            throw new IllegalArgumentException("Not a key for " + algorithm + ": " + privateKey.getAlgorithm());
        }
        try {
            AlgorithmFactoryFactory.getInstance().getJwsAlgorithmFactory().getAlgorithm(algorithm.name())
                    .validateSigningKey(privateKey);
        } catch (JoseException e) {
            throw new IllegalArgumentException("Not a key for " + algorithm + ": " + e.getMessage(), e);
        }
    }

    /** A key the JDK's provider signs with. */
    public SigningKey(String kid, SigningAlgorithm algorithm, PrivateKey privateKey, PublicKey publicKey) {
        this(kid, algorithm, privateKey, publicKey, SignatureProvider.JDK, privateKey);
    }

    /** This key, signing through {@code signatures} with the private key translated for it. */
    public SigningKey signedBy(SignatureProvider signatures) {
        return signatures == provider ? this
                : new SigningKey(kid, algorithm, privateKey, publicKey, signatures, signatures.translate(privateKey));
    }

    /** Names the key, never its private parts. */
    @Override
    public String toString() {
        return "SigningKey[kid=" + kid + ", algorithm=" + algorithm + ", provider=" + provider + "]";
    }
}
