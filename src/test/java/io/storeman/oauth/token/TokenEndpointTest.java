package io.storeman.oauth.token;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.emptyOrNullString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.storeman.support.Fixtures;
import io.storeman.support.Fixtures.Account;
import io.storeman.support.Fixtures.App;
import io.storeman.support.OAuthAnswers;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
class TokenEndpointTest {

    private static RequestSpecification passwordGrant(App app, String username, String password) {
        return given().formParam("grant_type", "password")
                .formParam("username", username)
                .formParam("password", password)
                .formParam("client_id", app.clientId())
                .formParam("client_secret", app.clientSecret());
    }

    private static String basic(String id, String secret) {
        String pair = URLEncoder.encode(id, StandardCharsets.UTF_8) + ":"
                + URLEncoder.encode(secret, StandardCharsets.UTF_8);
        return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void passwordGrantWhenFormBodyThenTokensWithNoStore() {
        Account user = Fixtures.newUser();
        App app = Fixtures.newApp(user, Fixtures.ALL_SCOPES);
        long before = System.currentTimeMillis() / 1000;
        passwordGrant(app, user.email(), user.password())
                .formParam("scope", "read_items write_items")
                .post("/oauth/token")
                .then().statusCode(200)
                .contentType(ContentType.JSON)
                .header("Cache-Control", "no-store")
                .header("Pragma", "no-cache")
                .body("token_type", equalTo("Bearer"))
                .body("expires_in", equalTo(7200))
                .body("scope", equalTo("read_items write_items"))
                .body("access_token", not(emptyOrNullString()))
                .body("refresh_token", not(emptyOrNullString()))
                .body("created_at", org.hamcrest.Matchers.greaterThanOrEqualTo((int) before));
    }

    @Test
    void passwordGrantWhenJsonBodyThenTokensWithDefaultScope() {
        Account user = Fixtures.newUser();
        App app = Fixtures.newApp(user, Fixtures.ALL_SCOPES);
        given().contentType(ContentType.JSON)
                .body(Map.of("grant_type", "password", "username", user.email(), "password", user.password(),
                        "client_id", app.clientId(), "client_secret", app.clientSecret()))
                .post("/oauth/token")
                .then().statusCode(200)
                .header("Cache-Control", "no-store")
                .body("scope", equalTo("public"));
    }

    @Test
    void passwordGrantWhenUsernameInOtherCaseThenTokens() {
        Account user = Fixtures.newUser();
        App app = Fixtures.newApp(user, "public");
        passwordGrant(app, user.email().toUpperCase(), user.password())
                .post("/oauth/token")
                .then().statusCode(200);
    }

    @Test
    void basicAuthWhenValidThenTokens() {
        Account user = Fixtures.newUser();
        App app = Fixtures.newApp(user, "public");
        given().header("Authorization", basic(app.clientId(), app.clientSecret()))
                .formParam("grant_type", "password")
                .formParam("username", user.email())
                .formParam("password", user.password())
                .post("/oauth/token")
                .then().statusCode(200);
    }

    @Test
    void basicAndBodySecretWhenBothSentThenInvalidRequest() {
        Account user = Fixtures.newUser();
        App app = Fixtures.newApp(user, "public");
        given().header("Authorization", basic(app.clientId(), app.clientSecret()))
                .formParam("grant_type", "client_credentials")
                .formParam("client_id", app.clientId())
                .formParam("client_secret", app.clientSecret())
                .post("/oauth/token")
                .then().spec(OAuthAnswers.error(400, "invalid_request"));
    }

    @Test
    void wrongSecretInBodyThen401InvalidClientWithoutChallenge() {
        Account user = Fixtures.newUser();
        App app = Fixtures.newApp(user, "public");
        given().formParam("grant_type", "client_credentials")
                .formParam("client_id", app.clientId())
                .formParam("client_secret", app.clientSecret() + "x")
                .post("/oauth/token")
                .then().statusCode(401)
                .header("WWW-Authenticate", nullValue())
                .header("Cache-Control", "no-store")
                .body("error", equalTo("invalid_client"));
    }

    @Test
    void wrongSecretInBasicThen401WithBasicChallenge() {
        Account user = Fixtures.newUser();
        App app = Fixtures.newApp(user, "public");
        given().header("Authorization", basic(app.clientId(), "not-the-secret"))
                .formParam("grant_type", "client_credentials")
                .post("/oauth/token")
                .then().spec(OAuthAnswers.invalidClientWithBasicChallenge());
    }

    @Test
    void basicWithEmptySecretThenInvalidClient() {
        Account user = Fixtures.newUser();
        App app = Fixtures.newPublicApp(user, "public");
        given().header("Authorization", basic(app.clientId(), ""))
                .formParam("grant_type", "client_credentials")
                .post("/oauth/token")
                .then().spec(OAuthAnswers.invalidClientWithBasicChallenge());
    }

    @Test
    void unknownClientThenInvalidClient() {
        given().formParam("grant_type", "client_credentials")
                .formParam("client_id", "no-such-client")
                .formParam("client_secret", "whatever")
                .post("/oauth/token")
                .then().spec(OAuthAnswers.error(401, "invalid_client"));
    }

    @Test
    void noClientAuthenticationThenInvalidClient() {
        given().formParam("grant_type", "client_credentials")
                .post("/oauth/token")
                .then().spec(OAuthAnswers.error(401, "invalid_client"));
    }

    @Test
    void wrongPasswordAndUnknownUserThenSameAnswer() {
        Account user = Fixtures.newUser();
        App app = Fixtures.newApp(user, "public");
        ExtractableResponse<Response> wrongPassword = passwordGrant(app, user.email(), "wrong password!")
                .post("/oauth/token").then().extract();
        ExtractableResponse<Response> unknownUser = passwordGrant(app, "nobody-" + user.email(), "wrong password!")
                .post("/oauth/token").then().extract();
        assertEquals(400, wrongPassword.statusCode());
        assertEquals(wrongPassword.statusCode(), unknownUser.statusCode());
        assertEquals(wrongPassword.body().asString(), unknownUser.body().asString());
        assertEquals("invalid_grant", wrongPassword.jsonPath().getString("error"));
    }

    @Test
    void passwordDifferingOnlyAfterByte72ThenInvalidGrant() {
        String base = "a".repeat(72);
        Account user = Fixtures.newUser(base + "-first");
        App app = Fixtures.newApp(user, "public");
        passwordGrant(app, user.email(), base + "-second").post("/oauth/token")
                .then().statusCode(400).body("error", equalTo("invalid_grant"));
        passwordGrant(app, user.email(), base + "-first").post("/oauth/token")
                .then().statusCode(200);
    }

    @Test
    void passwordGrantForAnotherUserThroughThirdPartyAppThenUnauthorizedClient() {
        Account owner = Fixtures.newUser();
        Account victim = Fixtures.newUser();
        App app = Fixtures.newApp(owner, "public");
        passwordGrant(app, victim.email(), victim.password()).post("/oauth/token")
                .then().spec(OAuthAnswers.error(400, "unauthorized_client"));
    }

    @Test
    void passwordGrantWithPublicClientThenUnauthorizedClient() {
        Account user = Fixtures.newUser();
        App app = Fixtures.newPublicApp(user, "public");
        given().formParam("grant_type", "password")
                .formParam("username", user.email())
                .formParam("password", user.password())
                .formParam("client_id", app.clientId())
                .post("/oauth/token")
                .then().spec(OAuthAnswers.error(400, "unauthorized_client"));
    }

    @Test
    void missingGrantTypeThenInvalidRequest() {
        given().formParam("client_id", "x").post("/oauth/token")
                .then().statusCode(400).body("error", equalTo("invalid_request"));
    }

    @Test
    void unknownGrantTypeThenUnsupportedGrantType() {
        Account user = Fixtures.newUser();
        App app = Fixtures.newApp(user, "public");
        given().formParam("grant_type", "urn:example:magic")
                .formParam("client_id", app.clientId())
                .formParam("client_secret", app.clientSecret())
                .post("/oauth/token")
                .then().spec(OAuthAnswers.error(400, "unsupported_grant_type"));
    }

    @Test
    void unknownScopeThenInvalidScope() {
        Account user = Fixtures.newUser();
        App app = Fixtures.newApp(user, Fixtures.ALL_SCOPES);
        passwordGrant(app, user.email(), user.password()).formParam("scope", "public admin")
                .post("/oauth/token")
                .then().statusCode(400).body("error", equalTo("invalid_scope"));
    }

    @Test
    void scopeOutsideRegisteredThenInvalidScope() {
        Account user = Fixtures.newUser();
        App app = Fixtures.newApp(user, "public read_items");
        passwordGrant(app, user.email(), user.password()).formParam("scope", "write_items")
                .post("/oauth/token")
                .then().statusCode(400).body("error", equalTo("invalid_scope"));
    }

    @Test
    void noScopeWhenAppLacksPublicThenInvalidScope() {
        Account user = Fixtures.newUser();
        App app = Fixtures.newApp(user, "read_items");
        passwordGrant(app, user.email(), user.password()).post("/oauth/token")
                .then().statusCode(400).body("error", equalTo("invalid_scope"));
    }

    @Test
    void clientCredentialsThenAccessTokenWithoutRefreshToken() {
        Account user = Fixtures.newUser();
        App app = Fixtures.newApp(user, "public read_items");
        given().formParam("grant_type", "client_credentials")
                .formParam("scope", "read_items")
                .formParam("client_id", app.clientId())
                .formParam("client_secret", app.clientSecret())
                .post("/oauth/token")
                .then().statusCode(200)
                .header("Cache-Control", "no-store")
                .body("scope", equalTo("read_items"))
                .body("access_token", not(emptyOrNullString()))
                .body("refresh_token", nullValue());
    }

    @Test
    void clientCredentialsWithPublicClientThenUnauthorizedClient() {
        Account user = Fixtures.newUser();
        App app = Fixtures.newPublicApp(user, "public");
        given().formParam("grant_type", "client_credentials")
                .formParam("client_id", app.clientId())
                .post("/oauth/token")
                .then().statusCode(400).body("error", equalTo("unauthorized_client"));
    }

    @Test
    void clientIdInQueryStringOnlyThenInvalidClient() {
        Account user = Fixtures.newUser();
        App app = Fixtures.newApp(user, "public");
        given().queryParam("client_id", app.clientId())
                .queryParam("client_secret", app.clientSecret())
                .formParam("grant_type", "client_credentials")
                .post("/oauth/token")
                .then().statusCode(401).body("error", equalTo("invalid_client"));
    }
}
