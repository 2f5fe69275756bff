package io.storeman.oauth.dpop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.oauth2.sdk.dpop.DefaultDPoPProofFactory;
import io.storeman.oauth.OAuthError;
import io.storeman.oauth.OAuthException;
import java.net.URI;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@link DpopProofs} alone: the algorithms and keys it takes (B1, B2) and the RFC 9449 §4.3 htu normalisation. */
class DpopProofsTest {

    private final DpopProofs proofs = new DpopProofs("https://Auth.Example/", Duration.ofSeconds(60),
            Clock.systemUTC());

    private static final URI TOKEN = URI.create("https://auth.example/oauth/token");

    @Test
    void normaliseWhenCaseDefaultPortQueryOrFragmentThenSame() {
        assertEquals("https://auth.example/oauth/token", DpopProofs.normalise("HTTPS://Auth.Example:443/oauth/token?a=1#x"));
        assertEquals("http://auth.example:8080/p", DpopProofs.normalise("http://auth.example:8080/p"));
        assertEquals("https://auth.example/oauth/token", proofs.htu("/oauth/token"));
        assertEquals("", DpopProofs.normalise("ftp://auth.example/oauth/token"));
        assertEquals("", DpopProofs.normalise("https://user@auth.example/oauth/token"));
        assertEquals("", DpopProofs.normalise("/oauth/token"));
    }

    @Test
    void checkWhenRsaPs256OrEd25519ProofThenAccepted() throws Exception {
        RSAKey rsa = new RSAKeyGenerator(2048).generate();
        String ps256 = new DefaultDPoPProofFactory(rsa, JWSAlgorithm.PS256).createDPoPJWT("POST", TOKEN).serialize();
        assertEquals(rsa.computeThumbprint().toString(), proofs.check(ps256, "POST", "/oauth/token", null).jkt());
        KeyPair ed = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        PublicJsonWebKey edJwk = PublicJsonWebKey.Factory.newPublicJwk(ed.getPublic());
        String eddsa = jose4jProof(edJwk, ed.getPrivate(), "EdDSA");
        assertEquals(edJwk.calculateBase64urlEncodedThumbprint("SHA-256"),
                proofs.check(eddsa, "POST", "/oauth/token", null).jkt());
    }

    @Test
    void checkWhenRsaKeyTooSmallOrTooLargeThenRefused() throws Exception {
        for (int bits : new int[] {1024, 4160}) {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(bits);
            KeyPair rsa = generator.generateKeyPair();
            String proof = jose4jProof(PublicJsonWebKey.Factory.newPublicJwk(rsa.getPublic()), rsa.getPrivate(),
                    "RS256");
            OAuthException refused = assertThrows(OAuthException.class,
                    () -> proofs.check(proof, "POST", "/oauth/token", null));
            assertEquals(OAuthError.INVALID_DPOP_PROOF, refused.error());
        }
    }

    /** A proof signed with jose4j, for keys Nimbus will not sign with (small RSA) or needs Tink for (Ed25519). */
    private static String jose4jProof(PublicJsonWebKey jwk, PrivateKey key, String algorithm) throws Exception {
        JwtClaims claims = new JwtClaims();
        claims.setGeneratedJwtId();
        claims.setStringClaim("htm", "POST");
        claims.setStringClaim("htu", TOKEN.toString());
        claims.setIssuedAtToNow();
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setHeader("typ", "dpop+jwt");
        jws.setAlgorithmHeaderValue(algorithm);
        jws.setJwkHeader(jwk);
        jws.setKey(key);
        jws.setDoKeyValidation(false);
        return jws.getCompactSerialization();
    }

    @Test
    void checkWhenAlgorithmNotTheKeysThenRefused() throws Exception {
        RSAKey rsa = new RSAKeyGenerator(2048).generate();
        String proof = new DefaultDPoPProofFactory(rsa, JWSAlgorithm.RS256).createDPoPJWT("POST", TOKEN).serialize();
        String[] parts = proof.split("\\.");
        String header = new String(java.util.Base64.getUrlDecoder().decode(parts[0]))
                .replace("\"RS256\"", "\"PS256\"");
        String forged = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(header.getBytes())
                + "." + parts[1] + "." + parts[2];
        assertThrows(OAuthException.class, () -> proofs.check(forged, "POST", "/oauth/token", null));
    }
}
