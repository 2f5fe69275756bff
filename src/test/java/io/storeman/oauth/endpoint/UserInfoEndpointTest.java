package io.storeman.oauth.endpoint;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.quarkus.test.junit.QuarkusTest;
import io.storeman.application.OAuthApplication;
import io.storeman.common.StoremanConfig;
import io.storeman.oauth.keys.SigningKey;
import io.storeman.oauth.keys.SigningKeys;
import io.storeman.oauth.token.Subjects;
import io.storeman.support.CodeFlow;
import io.storeman.support.Fixtures;
import io.storeman.support.Fixtures.Account;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.UUID;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.lang.JoseException;
import org.junit.jupiter.api.Test;

/** {@code GET} and {@code POST /userinfo} (OpenID Connect Core 1.0 §5.3, docs/security.md O7). */
@QuarkusTest
class UserInfoEndpointTest {

    @Inject
    CodeFlow flow;

    @Inject
    Pool pool;

    @Inject
    Subjects subjects;

    @Inject
    SigningKeys keys;

    @Inject
    StoremanConfig config;

    /** A user, a client of theirs registered for openid and email, and an access token for {@code scope}. */
    private record Grant(Account user, CodeFlow.Client client, String accessToken) {
    }

    private Grant grant(String scope, boolean pairwise) {
        Account user = Fixtures.newUser();
        CodeFlow.Client client = CodeFlow.newClient(user, "openid email public", true);
        if (pairwise) {
            pool.preparedQuery("update oauth_applications set subject_type = 'pairwise' where client_id = $1")
                    .execute(Tuple.of(client.clientId())).await().indefinitely();
        }
        CodeFlow.Verifier pkce = CodeFlow.Verifier.create();
        String code = flow.code(user, client, scope, pkce);
        String token = CodeFlow.redeem(client, code, client.redirectUri(), pkce.verifier())
                .statusCode(200).extract().path("access_token");
        return new Grant(user, client, token);
    }

    @Test
    void userInfoWhenOpenidTokenThenPublicSubAndNoEmail() {
        Grant grant = grant("openid", false);
        given().auth().oauth2(grant.accessToken()).get("/userinfo")
                .then().statusCode(200)
                .contentType("application/json")
                .header("Cache-Control", "no-store")
                .body("sub", equalTo(Long.toString(grant.user().id())))
                .body("email", nullValue())
                .body("$", not(org.hamcrest.Matchers.hasKey("email")))
                .body("$", not(org.hamcrest.Matchers.hasKey("email_verified")));
    }

    @Test
    void userInfoWhenEmailScopeThenEmailAndEmailVerifiedFalse() {
        Grant grant = grant("openid email", false);
        given().auth().oauth2(grant.accessToken()).get("/userinfo")
                .then().statusCode(200)
                .body("sub", equalTo(Long.toString(grant.user().id())))
                .body("email", equalTo(grant.user().email()))
                .body("email_verified", equalTo(false));
    }

    @Test
    void userInfoWhenPairwiseClientThenTheClientsPairwiseSub() {
        Grant grant = grant("openid", true);
        OAuthApplication client = new OAuthApplication();
        client.clientId = grant.client().clientId();
        client.redirectUri = grant.client().redirectUri();
        client.subjectType = Subjects.PAIRWISE;
        String expected = subjects.subject(client, grant.user().id());

        String sub = given().auth().oauth2(grant.accessToken()).get("/userinfo")
                .then().statusCode(200).extract().path("sub");

        assertEquals(expected, sub);
        assertNotEquals(Long.toString(grant.user().id()), sub, "a pairwise sub is never the user id");
        assertEquals(43, sub.length());
    }

    @Test
    void userInfoByPostThenTheSameClaims() {
        Grant grant = grant("openid email", false);
        given().auth().oauth2(grant.accessToken()).post("/userinfo")
                .then().statusCode(200)
                .header("Cache-Control", "no-store")
                .body("sub", equalTo(Long.toString(grant.user().id())))
                .body("email", equalTo(grant.user().email()))
                .body("email_verified", equalTo(false));
    }

    @Test
    void userInfoByPostWhenTheTokenIsOnlyInTheBodyThen401WithoutError() {
        Grant grant = grant("openid", false);
        given().formParam("access_token", grant.accessToken()).post("/userinfo")
                .then().statusCode(401)
                .header("WWW-Authenticate", equalTo("Bearer realm=\"storeman\""));
    }

    @Test
    void userInfoWhenNoOpenidScopeThen403InsufficientScopeNamingOpenid() {
        Grant grant = grant("public", false);
        given().auth().oauth2(grant.accessToken()).get("/userinfo")
                .then().statusCode(403)
                .header("WWW-Authenticate", containsString("error=\"insufficient_scope\""))
                .header("WWW-Authenticate", containsString("scope=\"openid\""))
                .body("error", equalTo("insufficient_scope"));
        given().auth().oauth2(grant.accessToken()).post("/userinfo")
                .then().statusCode(403)
                .header("WWW-Authenticate", containsString("scope=\"openid\""));
    }

    @Test
    void userInfoWhenNoTokenThen401WithoutError() {
        given().get("/userinfo")
                .then().statusCode(401)
                .header("WWW-Authenticate", equalTo("Bearer realm=\"storeman\""));
    }

    @Test
    void userInfoWhenRevokedThen401InvalidToken() {
        Grant grant = grant("openid", false);
        given().auth().oauth2(grant.accessToken()).get("/userinfo").then().statusCode(200);
        grant.client().authenticated().formParam("token", grant.accessToken()).post("/oauth/revoke")
                .then().statusCode(200);

        given().auth().oauth2(grant.accessToken()).get("/userinfo")
                .then().statusCode(401)
                .header("WWW-Authenticate", containsString("error=\"invalid_token\""))
                .body("error", equalTo("invalid_token"));
    }

    @Test
    void userInfoWhenGarbageOrTamperedThen401InvalidToken() {
        Grant grant = grant("openid", false);
        String tampered = grant.accessToken().substring(0, grant.accessToken().length() - 4) + "AAAA";
        for (String token : new String[] {"garbage", tampered}) {
            given().auth().oauth2(token).get("/userinfo")
                    .then().statusCode(401)
                    .header("WWW-Authenticate", containsString("error=\"invalid_token\""));
        }
    }

    @Test
    void userInfoWhenExpiredThen401InvalidToken() {
        Grant grant = grant("openid", false);
        long now = Instant.now().getEpochSecond();
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(config.issuer());
        claims.setSubject(Long.toString(grant.user().id()));
        claims.setAudience(config.audience());
        claims.setClaim("client_id", grant.client().clientId());
        claims.setClaim("scope", "openid");
        claims.setIssuedAt(NumericDate.fromSeconds(now - 7300));
        claims.setExpirationTime(NumericDate.fromSeconds(now - 100));
        claims.setJwtId(UUID.randomUUID().toString());

        given().auth().oauth2(sign(keys.active(), claims)).get("/userinfo")
                .then().statusCode(401)
                .header("WWW-Authenticate", containsString("error=\"invalid_token\""));
    }

    @Test
    void userInfoWhenClientCredentialsTokenThen403ForNoUser() {
        Account owner = Fixtures.newUser();
        Fixtures.App app = Fixtures.newApp(owner, "openid public");
        String token = Fixtures.clientCredentialsToken(app, "openid");
        given().auth().oauth2(token).get("/userinfo")
                .then().statusCode(403)
                .header("WWW-Authenticate", containsString("error=\"insufficient_scope\""))
                .body("error", equalTo("insufficient_scope"));
    }

    @Test
    void userInfoWhenTheUserWasDeletedThen401InvalidToken() {
        Grant grant = grant("openid email", false);
        given().auth().oauth2(grant.accessToken()).get("/userinfo").then().statusCode(200);
        pool.preparedQuery("delete from users where id = $1").execute(Tuple.of(grant.user().id()))
                .await().indefinitely();

        given().auth().oauth2(grant.accessToken()).get("/userinfo")
                .then().statusCode(401)
                .header("WWW-Authenticate", containsString("error=\"invalid_token\""))
                .body("error", equalTo("invalid_token"));
    }

    @Test
    void openApiWhenFetchedThenUserInfoNeedsABearerTokenWithOpenid() {
        io.restassured.path.json.JsonPath document = given().queryParam("format", "json").get("/q/openapi")
                .then().statusCode(200).extract().jsonPath();
        for (String method : new String[] {"get", "post"}) {
            String operation = "paths.'/userinfo'." + method;
            assertEquals(java.util.List.of(java.util.Map.of("bearer", java.util.List.of("openid"))),
                    document.getList(operation + ".security"), method);
            assertEquals(true, document.getMap(operation + ".responses").keySet()
                    .containsAll(java.util.List.of("200", "401", "403", "503")), method);
        }
    }

    /** An access token as the issuer signs one ({@code typ at+jwt}), with claims of the test's choosing. */
    private static String sign(SigningKey key, JwtClaims claims) {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setKey(key.privateKey());
        jws.setKeyIdHeaderValue(key.kid());
        jws.setHeader("typ", "at+jwt");
        jws.setAlgorithmHeaderValue(key.algorithm().name());
        try {
            return jws.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }
}
