package io.storeman.oauth.keys;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.SignedJWT;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.storeman.support.Fixtures;
import jakarta.inject.Inject;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** With {@code storeman.keys.native-signatures=false} the JDK's provider signs, as where Corretto fails. */
@QuarkusTest
@TestProfile(NativeSignaturesOffTest.NativeSignaturesOff.class)
class NativeSignaturesOffTest {

    public static class NativeSignaturesOff implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("storeman.keys.native-signatures", "false");
        }
    }

    @Inject
    SigningKeys keys;

    @Test
    void tokenWhenNativeSignaturesOffThenSignedByTheJdkVerifiedByNimbusAndAccepted() throws Exception {
        String token = Fixtures.userWithAllScopes().accessToken();
        SignedJWT jwt = SignedJWT.parse(token);
        SigningKey key = keys.published(jwt.getHeader().getKeyID()).orElseThrow();

        assertSame(SignatureProvider.JDK, key.provider());
        assertSame(key.privateKey(), key.providerKey());
        JWKSet jwks = JWKSet.parse(given().get("/.well-known/jwks.json").then().statusCode(200).extract().asString());
        assertTrue(jwt.verify(new ECDSAVerifier((ECKey) jwks.getKeyByKeyId(key.kid()))));
        given().auth().oauth2(token).get("/api/v1/me").then().statusCode(200);
    }

    @Test
    void tokenWhenSignatureAllZerosOrTamperedThenRefusedByTheJdkPath() {
        String token = Fixtures.userWithAllScopes().accessToken();
        String[] parts = token.split("\\.");
        String zeros = parts[0] + "." + parts[1] + "." + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(new byte[64]);
        String tampered = parts[0] + "." + parts[1] + "." + new StringBuilder(parts[2]).reverse();

        assertFalse(keys.active().provider().isNative());
        given().auth().oauth2(zeros).get("/api/v1/me").then().statusCode(401);
        given().auth().oauth2(tampered).get("/api/v1/me").then().statusCode(401);
        given().auth().oauth2(token).get("/api/v1/me").then().statusCode(200);
    }
}
