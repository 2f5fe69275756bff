package io.storeman.security;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.PlainHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import io.storeman.oauth.keys.SigningAlgorithm;
import io.storeman.oauth.keys.SigningKey;
import io.storeman.oauth.keys.SigningKeys;
import io.storeman.support.Fixtures;
import io.storeman.support.Fixtures.Account;
import io.storeman.support.Fixtures.App;
import io.storeman.support.Fixtures.Tokens;
import jakarta.inject.Inject;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Date;
import java.util.UUID;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * Tokens an attacker could present, each refused with 401 invalid_token by the one Bearer check (RFC 9068 §4,
 * RFC 8725 §3.1-3.11, docs/security.md N27-N31). A token forged with the server's own key and the right claims is
 * accepted, which shows each refusal is due to the one thing changed.
 */
@QuarkusTest
class AccessTokenForgeryTest {

    private static final String API = "/api/v1/spaces";

    @Inject
    SigningKeys keys;

    private static ValidatableResponse get(String token) {
        return given().auth().oauth2(token).get(API).then();
    }

    private static void assertInvalidToken(String token) {
        get(token).statusCode(401)
                .header("WWW-Authenticate", startsWith("Bearer realm=\"storeman\", error=\"invalid_token\""))
                .body("error", equalTo("invalid_token"));
    }

    /** Claims as the server would issue them for this user, with every scope. */
    private static JWTClaimsSet.Builder claims(Account user, App app) {
        long now = System.currentTimeMillis() / 1000;
        return new JWTClaimsSet.Builder()
                .issuer("http://storeman.test")
                .subject(Long.toString(user.id()))
                .audience("storeman-api")
                .claim("client_id", app.clientId())
                .claim("scope", Fixtures.ALL_SCOPES)
                .issueTime(new Date(now * 1000))
                .expirationTime(new Date((now + 7200) * 1000))
                .jwtID(UUID.randomUUID().toString());
    }

    private static JWSHeader.Builder header(JWSAlgorithm algorithm, String kid) {
        return new JWSHeader.Builder(algorithm).type(new JOSEObjectType("at+jwt")).keyID(kid);
    }

    /** Signed with {@code key} (ECDSA or RSA, as the key is), whatever the header claims. */
    private String signed(JWSHeader header, JWTClaimsSet claims, PrivateKey key) throws Exception {
        SignedJWT jwt = new SignedJWT(header, claims);
        if (key instanceof ECPrivateKey ec) {
            jwt.sign(new ECDSASigner(ec));
        } else {
            jwt.sign(new RSASSASigner(key));
        }
        return jwt.serialize();
    }

    /** The algorithm the server signs with (ES256 unless configured otherwise). */
    private JWSAlgorithm ourAlgorithm() {
        return JWSAlgorithm.parse(keys.active().algorithm().name());
    }

    /** A token signed with the server's own key, with the claims adjusted. */
    private String ours(UnaryOperator<JWTClaimsSet.Builder> adjust) throws Exception {
        Account user = Fixtures.newUser();
        App app = Fixtures.newApp(user, Fixtures.ALL_SCOPES);
        SigningKey key = keys.active();
        return signed(header(ourAlgorithm(), key.kid()).build(), adjust.apply(claims(user, app)).build(),
                key.privateKey());
    }

    @Test
    void tokenWhenForgedWithServersOwnKeyAndRightClaimsThenAccepted() throws Exception {
        get(ours(c -> c)).statusCode(200);
    }

    @Test
    void tokenWhenExpiredThenInvalidToken() throws Exception {
        long now = System.currentTimeMillis() / 1000;
        assertInvalidToken(ours(c -> c.issueTime(new Date((now - 7300) * 1000))
                .expirationTime(new Date((now - 100) * 1000))));
    }

    @Test
    void tokenWhenAlgNoneThenInvalidToken() throws Exception {
        Account user = Fixtures.newUser();
        App app = Fixtures.newApp(user, Fixtures.ALL_SCOPES);
        PlainHeader header = new PlainHeader.Builder().type(new JOSEObjectType("at+jwt"))
                .customParam("kid", keys.active().kid()).build();
        String token = new PlainJWT(header, claims(user, app).build()).serialize();
        assertInvalidToken(token);
    }

    @Test
    void tokenWhenSignedByAnotherKeyUnderOurKidThenInvalidToken() throws Exception {
        Account user = Fixtures.newUser();
        App app = Fixtures.newApp(user, Fixtures.ALL_SCOPES);
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        PrivateKey other = generator.generateKeyPair().getPrivate();
        assertInvalidToken(signed(header(JWSAlgorithm.ES256, keys.active().kid()).build(),
                claims(user, app).build(), other));
        assertInvalidToken(signed(header(JWSAlgorithm.ES256, "attacker-key").build(), claims(user, app).build(),
                other));
    }

    /** CVE-2022-21449: an ECDSA signature with r = s = 0 passed for any key on Java 15 to 18 before April 2022. */
    @Test
    void tokenWhenEcdsaSignatureIsAllZerosThenInvalidToken() throws Exception {
        Account user = Fixtures.newUser();
        App app = Fixtures.newApp(user, Fixtures.ALL_SCOPES);
        JWSHeader header = header(JWSAlgorithm.ES256, keys.active().kid()).build();
        String signingInput = header.toBase64URL() + "." + claims(user, app).build().toPayload().toBase64URL();

        assertInvalidToken(signingInput + "." + Base64URL.encode(new byte[64]));
        assertInvalidToken(signingInput + "." + Base64URL.encode(new byte[0]));
        get(ours(c -> c)).statusCode(200);
    }

    /**
     * One key, one algorithm (RFC 8725 §3.1): the ring holds an RSA key (for ID tokens) beside our EC key, and a
     * token whose signature holds is still refused when its {@code alg} is not the algorithm of the key its
     * {@code kid} names, either way.
     */
    @Test
    void tokenWhenAlgIsNotTheAlgorithmOfItsKidThenInvalidToken() throws Exception {
        Account user = Fixtures.newUser();
        App app = Fixtures.newApp(user, Fixtures.ALL_SCOPES);
        SigningKey ec = keys.active();
        SigningKey rsa = keys.active(SigningAlgorithm.RS256);
        assertEquals(SigningAlgorithm.ES256, ec.algorithm(), "the default algorithm signs access tokens");
        assertEquals(SigningAlgorithm.RS256, rsa.algorithm());

        get(signed(header(JWSAlgorithm.RS256, rsa.kid()).build(), claims(user, app).build(), rsa.privateKey()))
                .statusCode(200);
        get(signed(header(JWSAlgorithm.ES256, ec.kid()).build(), claims(user, app).build(), ec.privateKey()))
                .statusCode(200);

        assertInvalidToken(signed(header(JWSAlgorithm.ES256, rsa.kid()).build(), claims(user, app).build(),
                ec.privateKey()));
        assertInvalidToken(signed(header(JWSAlgorithm.RS256, ec.kid()).build(), claims(user, app).build(),
                rsa.privateKey()));
        assertInvalidToken(signed(header(JWSAlgorithm.RS384, rsa.kid()).build(), claims(user, app).build(),
                rsa.privateKey()));
        assertInvalidToken(signed(header(JWSAlgorithm.PS256, rsa.kid()).build(), claims(user, app).build(),
                rsa.privateKey()));
    }

    /**
     * An ID token (OpenID Connect, {@code typ} {@code JWT}) signed with the ring's own RS256 key is never an access
     * token ({@code typ} {@code at+jwt}, RFC 9068 §4, RFC 8725 §3.11): neither as an ID token is shaped, nor with an
     * access token's claims; the same claims typed {@code at+jwt} pass, so the type alone refuses it.
     */
    @Test
    void tokenWhenIdTokenSignedWithTheRingsRs256KeyThenInvalidToken() throws Exception {
        Account user = Fixtures.newUser();
        App app = Fixtures.newApp(user, Fixtures.ALL_SCOPES);
        SigningKey rsa = keys.active(SigningAlgorithm.RS256);
        long now = System.currentTimeMillis() / 1000;
        JWTClaimsSet idToken = new JWTClaimsSet.Builder()
                .issuer("http://storeman.test")
                .subject(Long.toString(user.id()))
                .audience(app.clientId())
                .claim("azp", app.clientId())
                .issueTime(new Date(now * 1000))
                .expirationTime(new Date((now + 7200) * 1000))
                .claim("auth_time", now)
                .claim("nonce", "n-0S6_WzA2Mj")
                .claim("at_hash", "77QmUPtjPfzWtF2AnpK9RQ")
                .build();
        JWSHeader idTokenHeader = new JWSHeader.Builder(JWSAlgorithm.RS256).type(JOSEObjectType.JWT)
                .keyID(rsa.kid()).build();

        assertInvalidToken(signed(idTokenHeader, idToken, rsa.privateKey()));
        assertInvalidToken(signed(idTokenHeader, claims(user, app).build(), rsa.privateKey()));
        get(signed(header(JWSAlgorithm.RS256, rsa.kid()).build(), claims(user, app).build(), rsa.privateKey()))
                .statusCode(200);
    }

    @Test
    void tokenWhenHs256KeyedWithOurPublicKeyThenInvalidToken() throws Exception {
        Account user = Fixtures.newUser();
        App app = Fixtures.newApp(user, Fixtures.ALL_SCOPES);
        SigningKey key = keys.active();
        SignedJWT jwt = new SignedJWT(header(JWSAlgorithm.HS256, key.kid()).build(), claims(user, app).build());
        jwt.sign(new MACSigner(key.publicKey().getEncoded()));
        assertInvalidToken(jwt.serialize());
    }

    @Test
    void tokenWhenTypIsNotAtJwtThenInvalidToken() throws Exception {
        Account user = Fixtures.newUser();
        App app = Fixtures.newApp(user, Fixtures.ALL_SCOPES);
        SigningKey key = keys.active();
        JWSHeader plainJwt = new JWSHeader.Builder(ourAlgorithm()).type(JOSEObjectType.JWT).keyID(key.kid())
                .build();
        JWSHeader untyped = new JWSHeader.Builder(ourAlgorithm()).keyID(key.kid()).build();
        assertInvalidToken(signed(plainJwt, claims(user, app).build(), key.privateKey()));
        assertInvalidToken(signed(untyped, claims(user, app).build(), key.privateKey()));
    }

    @Test
    void tokenWhenIssuerOrAudienceIsAnotherThenInvalidToken() throws Exception {
        assertInvalidToken(ours(c -> c.issuer("http://storeman.test.evil")));
        assertInvalidToken(ours(c -> c.audience("another-api")));
    }

    @Test
    void tokenWhenRequiredClaimMissingThenInvalidToken() throws Exception {
        assertInvalidToken(ours(c -> c.jwtID(null)));
        assertInvalidToken(ours(c -> c.claim("client_id", null)));
        assertInvalidToken(ours(c -> c.expirationTime(null)));
        assertInvalidToken(ours(c -> c.subject(null)));
    }

    @Test
    void tokenWhenRevokedThenInvalidTokenOnTheApi() {
        Account user = Fixtures.newUser();
        App app = Fixtures.newApp(user, Fixtures.ALL_SCOPES);
        Tokens tokens = Fixtures.passwordTokens(app, user, "read_spaces");
        get(tokens.accessToken()).statusCode(200);

        given().formParam("token", tokens.accessToken())
                .formParam("client_id", app.clientId())
                .formParam("client_secret", app.clientSecret())
                .post("/oauth/revoke").then().statusCode(200);

        get(tokens.accessToken()).statusCode(401)
                .header("WWW-Authenticate", containsString("error=\"invalid_token\""))
                .body("error", equalTo("invalid_token"));
    }

    @Test
    void tokenWhenIssuedToTheClientItselfThen403ForUserResources() {
        Account user = Fixtures.newUser();
        App app = Fixtures.newApp(user, Fixtures.ALL_SCOPES);
        String token = Fixtures.clientCredentialsToken(app, "read_spaces");
        get(token).statusCode(403)
                .header("WWW-Authenticate", containsString("error=\"insufficient_scope\""))
                .body("error", equalTo("insufficient_scope"));
    }

    @Test
    void schemeWhenLowerCaseBearerThenAccepted() throws Exception {
        given().header("Authorization", "bearer " + ours(c -> c)).get(API).then().statusCode(200);
    }

    @Test
    void tokenWhenOnlyInQueryThenTreatedAsNoToken() throws Exception {
        given().queryParam("access_token", ours(c -> c)).get(API)
                .then().statusCode(401)
                .header("WWW-Authenticate", equalTo("Bearer realm=\"storeman\""))
                .header("WWW-Authenticate", not(containsString("error=")));
    }
}
