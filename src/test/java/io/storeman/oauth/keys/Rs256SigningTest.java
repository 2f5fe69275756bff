package io.storeman.oauth.keys;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.SignedJWT;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.storeman.support.CodeFlow;
import io.storeman.support.Fixtures;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.Signature;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * With {@code storeman.keys.algorithm=RS256} (RFC 9068 §2.1 keeps RS256 supported) access tokens sign with the RS256
 * key; the ES256 key is there too, for ID tokens.
 */
@QuarkusTest
@TestProfile(Rs256SigningTest.Rs256.class)
class Rs256SigningTest {

    @Inject
    SigningKeys keys;

    @Inject
    KeyRotationJob rotation;

    public static class Rs256 implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("storeman.keys.algorithm", "RS256");
        }
    }

    @Test
    void tokenWhenRs256ConfiguredThenSignedRs256WithAPublishedRsaKeyAndAccepted() throws Exception {
        String token = Fixtures.userWithAllScopes().accessToken();
        SignedJWT jwt = SignedJWT.parse(token);
        String jwks = given().get("/.well-known/jwks.json").then().statusCode(200).extract().asString();

        assertEquals(JWSAlgorithm.RS256, jwt.getHeader().getAlgorithm());
        RSAKey key = (RSAKey) JWKSet.parse(jwks).getKeyByKeyId(jwt.getHeader().getKeyID());
        assertEquals(JWSAlgorithm.RS256, key.getAlgorithm());
        assertEquals(KeyUse.SIGNATURE, key.getKeyUse());
        assertEquals(2048, key.size());
        assertEquals(key.computeThumbprint("SHA-256").toString(), key.getKeyID());
        assertTrue(jwt.verify(new RSASSAVerifier(key)));
        given().auth().oauth2(token).get("/api/v1/me").then().statusCode(200);

        String[] parts = token.split("\\.");
        given().auth().oauth2(parts[0] + "." + parts[1] + "." + new StringBuilder(parts[2]).reverse())
                .get("/api/v1/me").then().statusCode(401);
    }

    /**
     * The configured algorithm only picks the access tokens' key: an ES256 key is kept and published beside, for the
     * clients that register ES256 ID tokens.
     */
    @Test
    void keysWhenRs256ConfiguredThenAnEs256KeyIsPublishedBesideButDoesNotSignAccessTokens() throws Exception {
        SigningKey es256 = keys.active(SigningAlgorithm.ES256);
        String jwks = given().get("/.well-known/jwks.json").then().statusCode(200).extract().asString();

        assertEquals(SigningAlgorithm.RS256, keys.active().algorithm());
        assertEquals(SigningAlgorithm.RS256, keys.accessTokenAlgorithm());
        assertEquals(SigningAlgorithm.ES256, es256.algorithm());
        assertEquals(JWSAlgorithm.ES256, JWKSet.parse(jwks).getKeyByKeyId(es256.kid()).getAlgorithm());
        assertEquals(keys.active().kid(), SignedJWT.parse(Fixtures.userWithAllScopes().accessToken()).getHeader()
                .getKeyID());
        assertEquals(List.of(), CodeFlow.await(() -> rotation.rotateIfDue(Duration.ofDays(3650), Duration.ofHours(1))),
                "a change of algorithm rotates nothing: both keys exist");
    }

    @Test
    void tokenWhenRs256ThenCorrettoSignedItAndTheJdkVerifiesIt() throws Exception {
        SignatureProviderTest.assumeCorrettoShipsForThisPlatform();
        String token = Fixtures.userWithAllScopes().accessToken();
        SigningKey key = keys.published(SignedJWT.parse(token).getHeader().getKeyID()).orElseThrow();

        assertEquals(SigningAlgorithm.RS256, key.algorithm());
        assertEquals(SignatureProviderTest.CORRETTO, key.provider().toString());
        String[] parts = token.split("\\.");
        Signature jdk = Signature.getInstance("SHA256withRSA", "SunRsaSign");
        jdk.initVerify(key.publicKey());
        jdk.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
        assertTrue(jdk.verify(Base64.getUrlDecoder().decode(parts[2])));
    }
}
