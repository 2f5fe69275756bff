package io.storeman.oauth.grant;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.token.BearerAccessToken;
import com.nimbusds.openid.connect.sdk.claims.AccessTokenHash;
import com.nimbusds.openid.connect.sdk.claims.IDTokenClaimsSet;
import io.quarkus.test.junit.QuarkusTest;
import io.storeman.support.CodeFlow;
import io.storeman.support.CodeFlow.Client;
import io.storeman.support.Fixtures;
import io.storeman.support.Fixtures.Account;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import io.storeman.oauth.token.OpenIdFlow;
import io.storeman.oauth.token.OpenIdFlow.Redeemed;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * ID tokens at the token endpoint (OpenID Connect Core 1.0 §3.1.3, docs/security.md O3, O4): from the authorization
 * code grant of an {@code openid} request and from its refreshes, validated as a relying party validates them, with
 * Nimbus against the published JWKS; none from plain OAuth codes or the password grant.
 */
@QuarkusTest
class IdTokenGrantTest {

    private static final String SCOPES = "openid email public read_items";

    @Inject
    CodeFlow flow;

    @Inject
    Pool pool;

    @Test
    void redeemWhenScopeHasOpenidThenIdTokenThatNimbusValidatesWithEveryClaim() throws Exception {
        Account user = Fixtures.newUser();
        Client client = OpenIdFlow.client(pool, Fixtures.newUser(), SCOPES);
        String nonce = "n-0S6_WzA2Mj ü/+=&?";
        long before = Instant.now().getEpochSecond();

        Redeemed tokens = OpenIdFlow.codeFlow(flow, user, client, "openid public", nonce);

        assertNotNull(tokens.idToken());
        IDTokenClaimsSet claims = OpenIdFlow.validate(tokens.idToken(), client, "ES256", nonce);
        assertEquals(OpenIdFlow.ISSUER, claims.getIssuer().getValue());
        assertEquals(Long.toString(user.id()), claims.getSubject().getValue(), "a public client sees the user id");
        assertEquals(nonce, claims.getNonce().getValue(), "the nonce is echoed exactly");
        assertEquals(client.clientId(), claims.getAuthorizedParty().getValue());
        long issuedAt = claims.getIssueTime().toInstant().getEpochSecond();
        assertEquals(7200, claims.getExpirationTime().toInstant().getEpochSecond() - issuedAt);
        assertTrue(claims.getAuthenticationTime().toInstant().getEpochSecond() >= before - 1);
        assertTrue(claims.getAuthenticationTime().toInstant().getEpochSecond() <= issuedAt);

        SignedJWT jwt = SignedJWT.parse(tokens.idToken());
        assertEquals(JOSEObjectType.JWT, jwt.getHeader().getType());
        assertEquals(JWSAlgorithm.ES256, jwt.getHeader().getAlgorithm());
        assertNotNull(JWKSet.load(OpenIdFlow.jwks()).getKeyByKeyId(jwt.getHeader().getKeyID()));
        Map<String, Object> payload = jwt.getPayload().toJSONObject();
        assertEquals(client.clientId(), payload.get("aud"), "aud is the client id as a single string");
        assertEquals(AccessTokenHash.compute(new BearerAccessToken(tokens.accessToken()), JWSAlgorithm.ES256, null)
                .getValue(), payload.get("at_hash"));
        assertEquals(atHash(tokens.accessToken()), payload.get("at_hash"));
    }

    @Test
    void redeemWhenNonceAbsentThenIdTokenWithoutNonce() throws Exception {
        Client client = OpenIdFlow.client(pool, Fixtures.newUser(), SCOPES);
        Redeemed tokens = OpenIdFlow.codeFlow(flow, Fixtures.newUser(), client, "openid", null);

        IDTokenClaimsSet claims = OpenIdFlow.validate(tokens.idToken(), client, "ES256", null);
        assertNull(claims.getNonce());
    }

    @Test
    void redeemWhenScopeLacksOpenidThenNoIdTokenAndTheCodeKeptNoNonce() {
        Account user = Fixtures.newUser();
        Client client = OpenIdFlow.client(pool, Fixtures.newUser(), SCOPES);

        Redeemed tokens = OpenIdFlow.codeFlow(flow, user, client, "public", "some-nonce");

        assertNull(tokens.idToken());
        assertEquals("public", tokens.scope());
        assertEquals(0L, count("select count(*) from authorization_codes c join oauth_applications a"
                + " on a.id = c.application_id where a.client_id = $1 and (c.nonce is not null"
                + " or c.auth_time is not null)", client.clientId()));
    }

    @Test
    void refreshWhenOpenidGrantThenNewIdTokenWithSameSubAndAuthTimeAndNoNonce() throws Exception {
        Account user = Fixtures.newUser();
        Client client = OpenIdFlow.client(pool, Fixtures.newUser(), SCOPES);
        Redeemed first = OpenIdFlow.codeFlow(flow, user, client, "openid public", "first-nonce");
        IDTokenClaimsSet original = OpenIdFlow.validate(first.idToken(), client, "ES256", "first-nonce");

        var refreshed = refresh(client, first.refreshToken(), null).statusCode(200).extract().jsonPath();
        String idToken = refreshed.getString("id_token");
        IDTokenClaimsSet claims = OpenIdFlow.validate(idToken, client, "ES256", null);
        assertEquals(original.getSubject(), claims.getSubject());
        assertEquals(original.getAuthenticationTime(), claims.getAuthenticationTime());
        assertNull(claims.getNonce(), "a refreshed ID token carries no nonce");
        assertEquals(atHash(refreshed.getString("access_token")),
                SignedJWT.parse(idToken).getJWTClaimsSet().getStringClaim("at_hash"));

        // The successor keeps auth_time too: a second refresh says the same.
        var again = refresh(client, refreshed.getString("refresh_token"), null).statusCode(200)
                .extract().jsonPath();
        assertEquals(original.getAuthenticationTime(), OpenIdFlow.validate(again.getString("id_token"), client,
                "ES256", null).getAuthenticationTime());

        // A refresh narrowed to a scope without openid gets no ID token; the grant keeps openid.
        var narrowed = refresh(client, again.getString("refresh_token"), "public").statusCode(200)
                .body("scope", equalTo("public")).body("id_token", nullValue()).extract().jsonPath();
        refresh(client, narrowed.getString("refresh_token"), null).statusCode(200)
                .body("scope", equalTo("openid public"));
    }

    @Test
    void redeemWhenClientIsPairwiseThenSubIsPerSectorAndKeptOnRefresh() throws Exception {
        Account user = Fixtures.newUser();
        Account owner = Fixtures.newUser();
        Client pairwise = OpenIdFlow.client(pool, owner, SCOPES, "ES256", "pairwise");
        Client sameHost = OpenIdFlow.client(pool, owner, SCOPES, "ES256", "pairwise");
        Client publicClient = OpenIdFlow.client(pool, owner, SCOPES);

        Redeemed tokens = OpenIdFlow.codeFlow(flow, user, pairwise, "openid", null);
        String sub = OpenIdFlow.validate(tokens.idToken(), pairwise, "ES256", null).getSubject().getValue();
        assertEquals(43, sub.length());
        assertNotEquals(Long.toString(user.id()), sub);
        assertFalse(sub.contains(user.email()));
        // Both pairwise clients redirect to client.example: one sector, one sub.
        assertEquals(sub, OpenIdFlow.validate(OpenIdFlow.codeFlow(flow, user, sameHost, "openid", null).idToken(),
                sameHost, "ES256", null).getSubject().getValue());
        assertEquals(Long.toString(user.id()), OpenIdFlow.validate(OpenIdFlow.codeFlow(flow, user, publicClient,
                "openid", null).idToken(), publicClient, "ES256", null).getSubject().getValue());

        String refreshed = refresh(pairwise, tokens.refreshToken(), null).statusCode(200)
                .extract().path("id_token");
        assertEquals(sub, OpenIdFlow.validate(refreshed, pairwise, "ES256", null).getSubject().getValue());
    }

    @Test
    void passwordGrantWhenOpenidGrantedThenNoIdTokenNorOnItsRefresh() {
        Account user = Fixtures.newUser();
        Fixtures.App app = Fixtures.newApp(user, SCOPES);

        String refreshToken = Fixtures.passwordGrant(app, user, "openid public").statusCode(200)
                .body("scope", equalTo("openid public"))
                .body("id_token", nullValue())
                .extract().path("refresh_token");
        Fixtures.refresh(app, refreshToken, null).statusCode(200)
                .body("scope", equalTo("openid public"))
                .body("id_token", nullValue());
    }

    @Test
    void clientCredentialsWhenOpenidThenNoIdToken() {
        Account owner = Fixtures.newUser();
        Fixtures.App app = Fixtures.newApp(owner, SCOPES);
        given().formParam("grant_type", "client_credentials").formParam("scope", "openid")
                .auth().preemptive().basic(app.clientId(), app.clientSecret())
                .post("/oauth/token").then().statusCode(200).body("id_token", nullValue());
    }

    /**
     * RS256, the default algorithm of ID tokens, needs an RS256 key beside the ES256 one, which the keys part of issue
     * 21 publishes; until a configuration has one, there is nothing to test.
     */
    @Test
    void redeemWhenClientRegisteredRs256ThenIdTokenSignedRs256() throws Exception {
        assumeTrue(JWKSet.load(OpenIdFlow.jwks()).getKeys().stream()
                .anyMatch(key -> JWSAlgorithm.RS256.equals(key.getAlgorithm())), "no RS256 key is published");
        Client client = OpenIdFlow.client(pool, Fixtures.newUser(), SCOPES, "RS256", "public");

        Redeemed tokens = OpenIdFlow.codeFlow(flow, Fixtures.newUser(), client, "openid", "rs-nonce");

        assertEquals(JWSAlgorithm.RS256, SignedJWT.parse(tokens.idToken()).getHeader().getAlgorithm());
        IDTokenClaimsSet claims = OpenIdFlow.validate(tokens.idToken(), client, "RS256", "rs-nonce");
        assertEquals(AccessTokenHash.compute(new BearerAccessToken(tokens.accessToken()), JWSAlgorithm.RS256, null),
                claims.getAccessTokenHash());
    }

    @Test
    void openApiWhenFetchedThenTheTokenResponseDocumentsIdToken() {
        Map<String, Object> properties = given().queryParam("format", "json").get("/q/openapi").then()
                .statusCode(200).extract().jsonPath().getMap("components.schemas.TokenResponse.properties");
        assertNotNull(properties.get("id_token"), properties.toString());
    }

    private static io.restassured.response.ValidatableResponse refresh(Client client, String refreshToken,
            String scope) {
        var request = client.authenticated().formParam("grant_type", "refresh_token")
                .formParam("refresh_token", refreshToken);
        if (scope != null) {
            request.formParam("scope", scope);
        }
        return request.post("/oauth/token").then();
    }

    /** Core 1.0 §3.1.3.6 by hand: base64url of the left half of SHA-256 of the access token's ASCII. */
    private static String atHash(String accessToken) throws Exception {
        byte[] digest = java.security.MessageDigest.getInstance("SHA-256")
                .digest(accessToken.getBytes(StandardCharsets.US_ASCII));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(java.util.Arrays.copyOf(digest, 16));
    }

    private long count(String sql, Object... parameters) {
        return pool.preparedQuery(sql).execute(Tuple.from(parameters))
                .map(rows -> rows.iterator().next().getLong(0))
                .await().atMost(Duration.ofSeconds(10));
    }
}
