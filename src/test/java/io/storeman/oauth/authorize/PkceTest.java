package io.storeman.oauth.authorize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** RFC 7636 S256, checked against the RFC's own example (Appendix B). */
class PkceTest {

    private static final String VERIFIER = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
    private static final String CHALLENGE = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

    @Test
    void challengeOfWhenRfcExampleVerifierThenRfcExampleChallenge() {
        assertEquals(CHALLENGE, Pkce.challengeOf(VERIFIER));
        assertTrue(Pkce.isValidChallenge(CHALLENGE));
        assertTrue(Pkce.verifies(VERIFIER, CHALLENGE));
    }

    @Test
    void verifiesWhenPlainMethodWouldMatchThenFalse() {
        assertFalse(Pkce.verifies(VERIFIER, VERIFIER), "the challenge is never compared with the verifier itself");
    }

    @Test
    void verifiesWhenVerifierMalformedThenFalse() {
        String shortVerifier = "abc";
        assertFalse(Pkce.verifies(shortVerifier, Pkce.challengeOf(shortVerifier)), "under 43 characters");
        String tooLong = "a".repeat(129);
        assertFalse(Pkce.verifies(tooLong, Pkce.challengeOf(tooLong)), "over 128 characters");
        String illegal = "a".repeat(42) + "!";
        assertFalse(Pkce.verifies(illegal, Pkce.challengeOf(illegal)), "outside the unreserved characters");
        assertFalse(Pkce.verifies(null, CHALLENGE));
    }

    @Test
    void isValidChallengeWhenNotA43CharacterBase64urlDigestThenFalse() {
        assertFalse(Pkce.isValidChallenge(null));
        assertFalse(Pkce.isValidChallenge(CHALLENGE + "A"));
        assertFalse(Pkce.isValidChallenge(CHALLENGE.substring(1)));
        assertFalse(Pkce.isValidChallenge(CHALLENGE.replace('-', '+')));
    }
}
