package io.storeman.oauth.revoke;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.anEmptyMap;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.storeman.support.Fixtures;
import io.storeman.support.Fixtures.Account;
import io.storeman.support.Fixtures.App;
import io.storeman.support.Fixtures.Tokens;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
class RevokeEndpointTest {

    private static ValidatableResponse revoke(App app, String token, String hint) {
        var request = given().formParam("client_id", app.clientId())
                .formParam("client_secret", app.clientSecret());
        if (token != null) {
            request.formParam("token", token);
        }
        if (hint != null) {
            request.formParam("token_type_hint", hint);
        }
        return request.post("/oauth/revoke").then();
    }

    private static int meStatus(String accessToken) {
        return given().auth().oauth2(accessToken).get("/api/v1/me").statusCode();
    }

    private static int refreshStatus(App app, String refreshToken) {
        return given().formParam("grant_type", "refresh_token")
                .formParam("refresh_token", refreshToken)
                .formParam("client_id", app.clientId())
                .formParam("client_secret", app.clientSecret())
                .post("/oauth/token").statusCode();
    }

    @Test
    void revokeAccessTokenThenApiRefusesItAndRefreshTokenStillWorks() {
        Account user = Fixtures.newUser();
        App app = Fixtures.newApp(user, "public");
        Tokens tokens = Fixtures.passwordTokens(app, user, null);
        assertEquals(200, meStatus(tokens.accessToken()));

        revoke(app, tokens.accessToken(), "access_token").statusCode(200)
                .header("Cache-Control", "no-store")
                .body("$", anEmptyMap());

        assertEquals(401, meStatus(tokens.accessToken()));
        assertEquals(200, refreshStatus(app, tokens.refreshToken()));
    }

    @Test
    void revokeRefreshTokenThenItAndItsAccessTokenStop() {
        Account user = Fixtures.newUser();
        App app = Fixtures.newApp(user, "public");
        Tokens tokens = Fixtures.passwordTokens(app, user, null);

        revoke(app, tokens.refreshToken(), "refresh_token").statusCode(200).body("$", anEmptyMap());

        assertEquals(400, refreshStatus(app, tokens.refreshToken()));
        assertEquals(401, meStatus(tokens.accessToken()));
    }

    @Test
    void revokeWithWrongHintThenTokenStillFoundAndRevoked() {
        Account user = Fixtures.newUser();
        App app = Fixtures.newApp(user, "public");
        Tokens tokens = Fixtures.passwordTokens(app, user, null);

        revoke(app, tokens.accessToken(), "refresh_token").statusCode(200);
        revoke(app, tokens.refreshToken(), "access_token").statusCode(200);

        assertEquals(401, meStatus(tokens.accessToken()));
        assertEquals(400, refreshStatus(app, tokens.refreshToken()));
    }

    @Test
    void revokeUnknownTokenThen200() {
        Account user = Fixtures.newUser();
        App app = Fixtures.newApp(user, "public");
        revoke(app, "no-such-token", null).statusCode(200).body("$", anEmptyMap());
    }

    @Test
    void revokeWithoutTokenThen200() {
        Account user = Fixtures.newUser();
        App app = Fixtures.newApp(user, "public");
        revoke(app, null, null).statusCode(200).body("$", anEmptyMap());
    }

    @Test
    void revokeWithJsonBodyLikeHttpieThen200AndRevoked() {
        Account user = Fixtures.newUser();
        App app = Fixtures.newApp(user, "public");
        Tokens tokens = Fixtures.passwordTokens(app, user, null);
        given().contentType(ContentType.JSON)
                .body(Map.of("token", tokens.accessToken(), "client_id", app.clientId(),
                        "client_secret", app.clientSecret()))
                .post("/oauth/revoke")
                .then().statusCode(200).body("$", anEmptyMap());
        assertEquals(401, meStatus(tokens.accessToken()));
    }

    @Test
    void revokeTokenOfAnotherClientThen200AndNothingChanges() {
        Account user = Fixtures.newUser();
        App app = Fixtures.newApp(user, "public");
        App other = Fixtures.newApp(user, "public");
        Tokens tokens = Fixtures.passwordTokens(app, user, null);

        revoke(other, tokens.accessToken(), null).statusCode(200).body("$", anEmptyMap());
        revoke(other, tokens.refreshToken(), null).statusCode(200).body("$", anEmptyMap());

        assertEquals(200, meStatus(tokens.accessToken()));
        assertEquals(200, refreshStatus(app, tokens.refreshToken()));
    }

    @Test
    void revokeAlreadyRevokedTokenThen200() {
        Account user = Fixtures.newUser();
        App app = Fixtures.newApp(user, "public");
        Tokens tokens = Fixtures.passwordTokens(app, user, null);
        revoke(app, tokens.refreshToken(), null).statusCode(200);
        revoke(app, tokens.refreshToken(), null).statusCode(200).body("$", anEmptyMap());
    }

    @Test
    void revokeWithWrongClientSecretThen401InvalidClient() {
        Account user = Fixtures.newUser();
        App app = Fixtures.newApp(user, "public");
        Tokens tokens = Fixtures.passwordTokens(app, user, null);
        given().formParam("client_id", app.clientId())
                .formParam("client_secret", "wrong")
                .formParam("token", tokens.accessToken())
                .post("/oauth/revoke")
                .then().statusCode(401).body("error", equalTo("invalid_client"));
        assertEquals(200, meStatus(tokens.accessToken()));
    }
}
