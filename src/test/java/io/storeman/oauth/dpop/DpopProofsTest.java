package io.storeman.oauth.dpop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.OctetKeyPairGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.oauth2.sdk.dpop.DefaultDPoPProofFactory;
import io.storeman.oauth.OAuthError;
import io.storeman.oauth.OAuthException;
import java.net.URI;
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
        OctetKeyPair ed = new OctetKeyPairGenerator(Curve.Ed25519).generate();
        String eddsa = new DefaultDPoPProofFactory(ed, JWSAlgorithm.EdDSA).createDPoPJWT("POST", TOKEN).serialize();
        assertEquals(ed.computeThumbprint().toString(), proofs.check(eddsa, "POST", "/oauth/token", null).jkt());
    }

    @Test
    void checkWhenRsaKeyTooSmallOrTooLargeThenRefused() throws Exception {
        for (int bits : new int[] {1024, 4160}) {
            RSAKey rsa = new RSAKeyGenerator(bits, true).generate();
            String proof = new DefaultDPoPProofFactory(rsa, JWSAlgorithm.RS256).createDPoPJWT("POST", TOKEN)
                    .serialize();
            OAuthException refused = assertThrows(OAuthException.class,
                    () -> proofs.check(proof, "POST", "/oauth/token", null));
            assertEquals(OAuthError.INVALID_DPOP_PROOF, refused.error());
        }
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
