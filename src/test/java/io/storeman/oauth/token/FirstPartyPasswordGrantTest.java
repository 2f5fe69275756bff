package io.storeman.oauth.token;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.anyOf;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.storeman.support.Fixtures;
import io.storeman.support.Fixtures.Account;
import io.storeman.support.Fixtures.App;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * docs/security.md D5: a first-party application (owner listed in storeman.oauth.first-party-owners) signs in
 * anyone.
 */
@QuarkusTest
class FirstPartyPasswordGrantTest {

    private static final String OWNER = "first-party-owner@storeman.test";

    private static Account firstPartyOwner() {
        given().contentType(ContentType.JSON).body(Map.of("email", OWNER, "password", Fixtures.PASSWORD))
                .post("/api/v1/users")
                .then().statusCode(anyOf(equalTo(201), equalTo(409)));
        return new Account(0, OWNER, Fixtures.PASSWORD);
    }

    @Test
    void passwordGrantForAnyUserThroughFirstPartyAppThenTokens() {
        App app = Fixtures.newApp(firstPartyOwner(), "public");
        Account user = Fixtures.newUser();
        String token = Fixtures.passwordTokens(app, user, null).accessToken();
        given().auth().oauth2(token).get("/api/v1/me")
                .then().statusCode(200).body("email", equalTo(user.email()));
    }

    @Test
    void passwordGrantWhenUnknownUserThroughFirstPartyAppThenInvalidGrant() {
        App app = Fixtures.newApp(firstPartyOwner(), "public");
        given().formParam("grant_type", "password")
                .formParam("username", "nobody-at-all@example.com")
                .formParam("password", "whatever it is")
                .formParam("client_id", app.clientId())
                .formParam("client_secret", app.clientSecret())
                .post("/oauth/token")
                .then().statusCode(400).body("error", equalTo("invalid_grant"));
    }
}
