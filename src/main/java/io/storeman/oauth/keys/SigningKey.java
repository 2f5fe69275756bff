package io.storeman.oauth.keys;

import java.security.PrivateKey;
import java.security.PublicKey;

/**
 * A key this server signs access tokens with, known by its RFC 7638 thumbprint as {@code kid}, and the one algorithm
 * it signs with (RFC 8725 §3.1): a token naming this {@code kid} with another {@code alg} is refused.
 */
public record SigningKey(String kid, SigningAlgorithm algorithm, PrivateKey privateKey, PublicKey publicKey) {
}
