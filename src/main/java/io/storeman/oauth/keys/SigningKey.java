package io.storeman.oauth.keys;

import java.security.PrivateKey;
import java.security.interfaces.RSAPublicKey;

/** A key this server signs access tokens with (RS256), known by its RFC 7638 thumbprint as {@code kid}. */
public record SigningKey(String kid, PrivateKey privateKey, RSAPublicKey publicKey) {
}
