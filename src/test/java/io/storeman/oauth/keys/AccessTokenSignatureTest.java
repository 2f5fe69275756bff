package io.storeman.oauth.keys;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.quarkus.test.junit.QuarkusTest;
import io.storeman.support.Fixtures;
import io.storeman.support.Fixtures.Account;
import io.storeman.support.Fixtures.App;
import io.storeman.support.Fixtures.Tokens;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.Signature;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Verifies our access tokens (ES256 by default) as a resource server elsewhere would: with a JOSE library and our JWKS
 * alone; and the JWKS itself, which publishes the RS256 keys of ID tokens beside.
 */
@QuarkusTest
class AccessTokenSignatureTest {

    @Inject
    SigningKeys keys;

    @Test
    void accessTokenWhenCheckedAgainstJwksThenSignatureAndRfc9068ClaimsHold() throws Exception {
        Account user = Fixtures.newUser();
        App app = Fixtures.newApp(user, Fixtures.ALL_SCOPES);
        Tokens tokens = Fixtures.passwordTokens(app, user, "public read_spaces");

        String jwks = given().get("/.well-known/jwks.json").then().statusCode(200).extract().asString();
        JWKSet keys = JWKSet.parse(jwks);
        SignedJWT jwt = SignedJWT.parse(tokens.accessToken());

        assertEquals(JWSAlgorithm.ES256, jwt.getHeader().getAlgorithm());
        assertEquals(new JOSEObjectType("at+jwt"), jwt.getHeader().getType());
        String kid = jwt.getHeader().getKeyID();
        assertNotNull(kid);
        ECKey key = (ECKey) keys.getKeyByKeyId(kid);
        assertNotNull(key, "the kid is published in the JWKS");
        assertFalse(key.isPrivate(), "the JWKS holds public keys only");
        assertTrue(jwt.verify(new ECDSAVerifier(key)));

        JWTClaimsSet claims = jwt.getJWTClaimsSet();
        assertEquals("http://storeman.test", claims.getIssuer());
        assertEquals(Long.toString(user.id()), claims.getSubject());
        assertEquals(List.of("storeman-api"), claims.getAudience());
        assertEquals(app.clientId(), claims.getStringClaim("client_id"));
        assertEquals("public read_spaces", claims.getStringClaim("scope"));
        assertNotNull(claims.getJWTID());
        assertEquals(claims.getIssueTime().getTime() / 1000 + 7200, claims.getExpirationTime().getTime() / 1000);
    }

    @Test
    void clientCredentialsTokenWhenVerifiedThenSubjectIsTheClient() throws Exception {
        Account user = Fixtures.newUser();
        App app = Fixtures.newApp(user, "public");
        String token = Fixtures.clientCredentialsToken(app, null);
        JWKSet keys = JWKSet.parse(given().get("/.well-known/jwks.json").asString());
        SignedJWT jwt = SignedJWT.parse(token);
        assertTrue(jwt.verify(new ECDSAVerifier((ECKey) keys.getKeyByKeyId(jwt.getHeader().getKeyID()))));
        assertEquals(app.clientId(), jwt.getJWTClaimsSet().getSubject());
    }

    @Test
    void jwksWhenReadThenTheSigningKeyIsAnEs256P256KeyNamedByItsThumbprint() throws Exception {
        String kid = SignedJWT.parse(Fixtures.userWithAllScopes().accessToken()).getHeader().getKeyID();
        String jwks = given().get("/.well-known/jwks.json").then().statusCode(200).extract().asString();

        ECKey key = (ECKey) JWKSet.parse(jwks).getKeyByKeyId(kid);
        assertEquals(JWSAlgorithm.ES256, key.getAlgorithm());
        assertEquals(Curve.P_256, key.getCurve());
        assertEquals(KeyUse.SIGNATURE, key.getKeyUse());
        assertEquals(key.computeThumbprint("SHA-256").toString(), kid, "kid is the RFC 7638 thumbprint");
        Map<String, Object> published = given().get("/.well-known/jwks.json").then().extract()
                .jsonPath().getMap("keys.find { it.kid == '" + kid + "' }");
        assertEquals(Set.of("kty", "crv", "x", "y", "alg", "use", "kid"), published.keySet(),
                "public members only");
        assertEquals("EC", published.get("kty"));
        assertEquals(43, ((String) published.get("x")).length(), "32-byte coordinates, base64url");
        assertEquals(43, ((String) published.get("y")).length());
    }

    /**
     * The JWKS publishes the keys of both algorithms (ES256 for access tokens by default, RS256 for ID tokens), each
     * with its one {@code alg}, {@code use} {@code sig} and its thumbprint as {@code kid}.
     */
    @Test
    void jwksWhenReadThenTheKeysOfBothAlgorithmsEachWithItsAlgUseAndKid() throws Exception {
        JWKSet jwks = JWKSet.parse(given().get("/.well-known/jwks.json").then().statusCode(200).extract().asString());

        ECKey ec = (ECKey) jwks.getKeyByKeyId(keys.active(SigningAlgorithm.ES256).kid());
        RSAKey rsa = (RSAKey) jwks.getKeyByKeyId(keys.active(SigningAlgorithm.RS256).kid());
        assertNotNull(ec, "the ES256 key that signs is published");
        assertNotNull(rsa, "the RS256 key that signs is published");
        assertEquals(JWSAlgorithm.ES256, ec.getAlgorithm());
        assertEquals(JWSAlgorithm.RS256, rsa.getAlgorithm());
        assertTrue(rsa.size() >= 2048);
        assertFalse(rsa.isPrivate());
        for (JWK key : jwks.getKeys()) {
            assertEquals(KeyUse.SIGNATURE, key.getKeyUse(), key.getKeyID());
            assertEquals(key.computeThumbprint("SHA-256").toString(), key.getKeyID());
            assertEquals(key instanceof RSAKey ? JWSAlgorithm.RS256 : JWSAlgorithm.ES256, key.getAlgorithm(),
                    "one algorithm per key, by its type");
        }
        assertEquals(jwks.getKeys().size(), jwks.getKeys().stream().map(JWK::getKeyID).distinct().count());
        assertEquals(Set.of(SigningAlgorithm.ES256, SigningAlgorithm.RS256), keys.known().stream()
                .map(stored -> stored.key().algorithm()).collect(Collectors.toSet()));
    }

    /** By default Corretto signs (where it ships); its signature is the JOSE R || S that the JDK's provider checks. */
    @Test
    void tokenWhenSignedByDefaultThenCorrettoSignedItAndTheJdkVerifiesIt() throws Exception {
        SignatureProviderTest.assumeCorrettoShipsForThisPlatform();
        String token = Fixtures.userWithAllScopes().accessToken();
        SigningKey key = keys.published(SignedJWT.parse(token).getHeader().getKeyID()).orElseThrow();

        assertTrue(keys.active().provider().isNative(), "Corretto signs");
        assertEquals(SignatureProviderTest.CORRETTO, key.provider().toString());
        assertTrue(key.providerKey().getClass().getName().startsWith(SignatureProviderTest.CORRETTO_PACKAGE));
        String[] parts = token.split("\\.");
        Signature jdk = Signature.getInstance("SHA256withECDSAinP1363Format", "SunEC");
        jdk.initVerify(key.publicKey());
        jdk.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
        assertTrue(jdk.verify(Base64.getUrlDecoder().decode(parts[2])));
        given().auth().oauth2(token).get("/api/v1/me").then().statusCode(200);
    }
}
