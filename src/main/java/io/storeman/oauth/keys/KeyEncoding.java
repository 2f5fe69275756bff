package io.storeman.oauth.keys;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.keys.EllipticCurves;
import org.jose4j.lang.JoseException;

/**
 * Signing keys in and out: the stored form (base64 DER; the private key decrypted by {@link KeyEncryption}), a
 * configured PEM, the JWK Set, and RFC 7638 thumbprints.
 */
final class KeyEncoding {

    private KeyEncoding() {
    }

    /** The RFC 7638 SHA-256 thumbprint of a public key: our {@code kid}. */
    static String thumbprint(PublicKey key) {
        try {
            return PublicJsonWebKey.Factory.newPublicJwk(key).calculateBase64urlEncodedThumbprint("SHA-256");
        } catch (JoseException e) {
            throw new IllegalStateException("Cannot compute the thumbprint of a " + key.getAlgorithm() + " key", e);
        }
    }

    /** The JWK Set (RFC 7517) of these keys: public parts only, each with its {@code kid}, {@code alg} and use. */
    static String jwks(List<SigningKey> keys) {
        JsonWebKeySet set = new JsonWebKeySet();
        for (SigningKey key : keys) {
            try {
                PublicJsonWebKey jwk = PublicJsonWebKey.Factory.newPublicJwk(key.publicKey());
                jwk.setKeyId(key.kid());
                jwk.setUse("sig");
                jwk.setAlgorithm(key.algorithm().name());
                set.addJsonWebKey(jwk);
            } catch (JoseException e) {
                throw new IllegalStateException("Cannot publish the key " + key.kid(), e);
            }
        }
        return set.toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY);
    }

    /** The stored form of a public key: base64 of its X.509 DER encoding. */
    static String stored(PublicKey key) {
        return Base64.getEncoder().encodeToString(key.getEncoded());
    }

    /** A key as stored in {@code signing_keys}, with its private key decrypted ({@code pkcs8}). */
    static SigningKey decode(String kid, String algorithm, byte[] pkcs8, String publicKey) {
        try {
            SigningAlgorithm alg = SigningAlgorithm.valueOf(algorithm);
            KeyFactory factory = KeyFactory.getInstance(alg.keyType());
            PrivateKey priv = factory.generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
            PublicKey pub = factory.generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(publicKey)));
            if (priv instanceof ECPrivateKey ec) {
                requireP256(ec);
            }
            return new SigningKey(kid, alg, priv, pub);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException("The stored signing key " + kid + " cannot be read", e);
        }
    }

    /**
     * The key of {@code storeman.keys.private-key-pem}: a PKCS#8 RSA key (signs RS256) or EC P-256 key (signs
     * ES256); its public half is derived from it.
     */
    static SigningKey fromPem(String pem) {
        byte[] der;
        try {
            der = Base64.getDecoder().decode(
                    pem.replaceAll("-----(BEGIN|END) PRIVATE KEY-----", "").replaceAll("\\s", ""));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("storeman.keys.private-key-pem is not a PEM PKCS#8 private key", e);
        }
        for (SigningAlgorithm algorithm : SigningAlgorithm.values()) {
            PrivateKey priv;
            try {
                priv = KeyFactory.getInstance(algorithm.keyType()).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException e) {
                continue; // not a key of this type
            }
            PublicKey pub = publicOf(priv);
            return new SigningKey(thumbprint(pub), algorithm, priv, pub);
        }
        throw new IllegalStateException("storeman.keys.private-key-pem is not a PKCS#8 RSA or EC P-256 private key");
    }

    private static PublicKey publicOf(PrivateKey key) {
        try {
            if (key instanceof RSAPrivateCrtKey rsa) {
                return KeyFactory.getInstance("RSA")
                        .generatePublic(new RSAPublicKeySpec(rsa.getModulus(), rsa.getPublicExponent()));
            }
            if (key instanceof ECPrivateKey ec) {
                requireP256(ec);
                var point = CustomNamedCurves.getByName("secp256r1").getG().multiply(ec.getS()).normalize();
                BigInteger x = point.getAffineXCoord().toBigInteger();
                BigInteger y = point.getAffineYCoord().toBigInteger();
                return KeyFactory.getInstance("EC")
                        .generatePublic(new ECPublicKeySpec(new ECPoint(x, y), ec.getParams()));
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("storeman.keys.private-key-pem: cannot derive the public key", e);
        }
        throw new IllegalStateException("storeman.keys.private-key-pem is an RSA key without its CRT parameters");
    }

    private static void requireP256(ECPrivateKey key) {
        ECParameterSpec params = key.getParams();
        ECParameterSpec p256 = EllipticCurves.P256;
        if (!params.getCurve().equals(p256.getCurve()) || !params.getGenerator().equals(p256.getGenerator())
                || !params.getOrder().equals(p256.getOrder())) {
            throw new IllegalStateException("An EC signing key must be on the curve P-256 (secp256r1)");
        }
    }
}
