package io.storeman.oauth.token;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.quarkus.test.junit.QuarkusTest;
import io.storeman.oauth.OAuthException;
import io.storeman.oauth.keys.SigningKeys;
import io.storeman.support.Fixtures;
import jakarta.inject.Inject;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The verifier's memory of verified tokens answers exactly as a full check would, and holds only valid tokens. */
@QuarkusTest
class AccessTokenVerifierTest {

    @Inject
    AccessTokenVerifier tokens;

    @Inject
    SigningKeys keys;

    /** A token signed with the active key, in its algorithm, as the issuer signs. */
    private String token(long issuedAt, long expiresAt) {
        JwtClaims claims = new JwtClaims();
        claims.setIssuer("http://storeman.test");
        claims.setSubject("42");
        claims.setAudience("storeman-api");
        claims.setClaim("client_id", "verified-tokens-test");
        claims.setClaim("scope", "public");
        claims.setIssuedAt(NumericDate.fromSeconds(issuedAt));
        claims.setExpirationTime(NumericDate.fromSeconds(expiresAt));
        claims.setJwtId(UUID.randomUUID().toString());
        return AccessTokenIssuer.sign(keys.active(), claims);
    }

    @Test
    void verifyWhenSameValidTokenAgainThenAnsweredFromTheCache() {
        long now = System.currentTimeMillis() / 1000;
        String token = token(now, now + 7200);
        AccessToken first = tokens.verify(token);
        assertSame(first, tokens.verify(token));
        assertEquals("42", first.subject());
    }

    @Test
    void verifyWhenRememberedTokenExpiresThenRefused() {
        long now = System.currentTimeMillis() / 1000;
        String token = token(now - 7200, now - 29);
        assertEquals("42", tokens.verify(token).subject(), "within the 30 s leeway");
        assertThrows(OAuthException.class, () -> tokens.verify(token(now - 7300, now - 100)));
    }

    @Test
    void verifyWhenInvalidThenInvalidTokenEveryTimeAndNothingCached() {
        long before = tokens.rememberedTokens();
        String token = Fixtures.userWithAllScopes().accessToken();
        String tampered = token.substring(0, token.length() - 4) + "AAAA";
        for (int i = 0; i < 3; i++) {
            OAuthException e = assertThrows(OAuthException.class, () -> tokens.verify(tampered));
            assertEquals("invalid_token", e.error().code());
        }
        long now = System.currentTimeMillis() / 1000;
        OAuthException expired = assertThrows(OAuthException.class, () -> tokens.verify(token(now - 7300, now - 100)));
        assertEquals("invalid_token", expired.error().code());
        assertEquals(before, tokens.rememberedTokens());
    }
}
