package io.storeman.packaged;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.storeman.support.Fixtures;
import io.storeman.support.Fixtures.Account;
import io.storeman.support.Fixtures.App;
import io.storeman.support.Fixtures.Tokens;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The README's API guide against the packaged application (the jar, or the native binary under {@code -Dnative}):
 * password grant, an API call, refresh, revoke, in form and JSON bodies, with only HTTP between test and server.
 */
@QuarkusIntegrationTest
class ApiGuideFlowsIT {

    @Test
    void apiGuideWhenFormBodiesThenSignInCallRefreshAndRevokeWork() {
        Account user = Fixtures.newUser();
        App app = Fixtures.newApp(user, Fixtures.ALL_SCOPES);

        Tokens first = Fixtures.passwordTokens(app, user, Fixtures.ALL_SCOPES);
        me(first.accessToken()).statusCode(200).body("email", equalTo(user.email()));

        JsonPath refreshed = Fixtures.refresh(app, first.refreshToken(), null).statusCode(200)
                .header("Cache-Control", "no-store")
                .body("token_type", equalTo("Bearer"))
                .body("expires_in", equalTo(7200))
                .body("scope", equalTo(Fixtures.ALL_SCOPES))
                .extract().jsonPath();
        String access = refreshed.getString("access_token");
        String refresh = refreshed.getString("refresh_token");
        assertNotEquals(first.refreshToken(), refresh, "the refresh token rotates");
        me(access).statusCode(200);
        Revocations.awaitRefused(first.accessToken());

        given().formParam("token", refresh).formParam("client_id", app.clientId())
                .formParam("client_secret", app.clientSecret())
                .post("/oauth/revoke").then().statusCode(200).body(equalTo("{}"));
        Revocations.awaitRefused(access);
        Fixtures.refresh(app, refresh, null).statusCode(400).body("error", equalTo("invalid_grant"));
    }

    @Test
    void apiGuideWhenJsonBodiesThenSignInCallRefreshAndRevokeWork() {
        Account user = Fixtures.newUser();
        App app = Fixtures.newApp(user, Fixtures.ALL_SCOPES);

        JsonPath signedIn = token(Map.of("grant_type", "password", "username", user.email(),
                "password", user.password(), "client_id", app.clientId(), "client_secret", app.clientSecret()));
        me(signedIn.getString("access_token")).statusCode(200).body("id", notNullValue());

        JsonPath refreshed = token(Map.of("grant_type", "refresh_token",
                "refresh_token", signedIn.getString("refresh_token"),
                "client_id", app.clientId(), "client_secret", app.clientSecret()));
        String access = refreshed.getString("access_token");
        me(access).statusCode(200).body("email", equalTo(user.email()));

        given().contentType(ContentType.JSON)
                .body(Map.of("token", refreshed.getString("refresh_token"), "client_id", app.clientId(),
                        "client_secret", app.clientSecret()))
                .post("/oauth/revoke").then().statusCode(200).body(equalTo("{}"));
        Revocations.awaitRefused(access);
    }

    @Test
    void revokeWhenAccessTokenThenTheApiRefusesItButTheRefreshTokenStillWorks() {
        Account user = Fixtures.newUser();
        App app = Fixtures.newApp(user, Fixtures.ALL_SCOPES);
        Tokens tokens = Fixtures.passwordTokens(app, user, "public");

        given().auth().preemptive().basic(app.clientId(), app.clientSecret())
                .formParam("token", tokens.accessToken())
                .post("/oauth/revoke").then().statusCode(200).body(equalTo("{}"));
        Revocations.awaitRefused(tokens.accessToken());
        Fixtures.refresh(app, tokens.refreshToken(), null).statusCode(200).body("scope", equalTo("public"));
    }

    @Test
    void clientCredentialsWhenConfidentialClientThenTokenWithoutRefreshToken() {
        Account user = Fixtures.newUser();
        App app = Fixtures.newApp(user, Fixtures.ALL_SCOPES);
        given().auth().preemptive().basic(app.clientId(), app.clientSecret())
                .formParam("grant_type", "client_credentials").formParam("scope", "read_spaces")
                .post("/oauth/token").then().statusCode(200)
                .body("scope", equalTo("read_spaces"))
                .body("access_token", notNullValue())
                .body("refresh_token", equalTo(null));
    }

    @Test
    void tokenWhenWrongPasswordThenInvalidGrantAsJson() {
        Account user = Fixtures.newUser();
        App app = Fixtures.newApp(user, "public");
        given().formParam("grant_type", "password").formParam("username", user.email())
                .formParam("password", "not the password at all").formParam("client_id", app.clientId())
                .formParam("client_secret", app.clientSecret())
                .post("/oauth/token").then().statusCode(400).contentType(ContentType.JSON)
                .body("error", equalTo("invalid_grant"));
    }

    @Test
    void introspectWhenOwnAccessTokenThenActiveWithItsClaims() {
        Account user = Fixtures.newUser();
        App app = Fixtures.newApp(user, Fixtures.ALL_SCOPES);
        Tokens tokens = Fixtures.passwordTokens(app, user, "public read_items");
        given().auth().preemptive().basic(app.clientId(), app.clientSecret())
                .formParam("token", tokens.accessToken())
                .post("/oauth/introspect").then().statusCode(200)
                .body("active", equalTo(true))
                .body("client_id", equalTo(app.clientId()))
                .body("username", equalTo(user.email()))
                .body("token_type", equalTo("Bearer"));
        given().auth().oauth2(tokens.accessToken()).get("/oauth/token/info").then().statusCode(200)
                .body("scope", equalTo(java.util.List.of("public", "read_items")))
                .body("application.uid", equalTo(app.clientId()));
    }

    private static io.restassured.response.ValidatableResponse me(String accessToken) {
        return given().auth().oauth2(accessToken).get("/api/v1/me").then();
    }

    private static JsonPath token(Map<String, String> body) {
        return given().contentType(ContentType.JSON).body(body).post("/oauth/token")
                .then().statusCode(200).header("Cache-Control", "no-store").extract().jsonPath();
    }
}
