package io.storeman.oauth.bearer;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import io.quarkus.test.junit.QuarkusTest;
import io.storeman.support.Fixtures;
import io.storeman.support.Fixtures.Account;
import io.storeman.support.Fixtures.App;
import io.storeman.support.Fixtures.Tokens;
import org.junit.jupiter.api.Test;

/** RFC 6750 behaviour of the API's Bearer authentication (BearerAuthenticationMechanism), seen through GET /api/v1/me (scope public). */
@QuarkusTest
class BearerAuthenticationTest {

    @Test
    void meWhenValidTokenThenProfile() {
        Account user = Fixtures.newUser();
        Tokens tokens = Fixtures.passwordTokens(Fixtures.newApp(user, "public"), user, null);
        given().auth().oauth2(tokens.accessToken()).get("/api/v1/me")
                .then().statusCode(200)
                .body("id", equalTo((int) user.id()))
                .body("email", equalTo(user.email()))
                .body("created_at", not(equalTo(null)));
    }

    @Test
    void meWhenNoTokenThen401ChallengeWithoutError() {
        given().get("/api/v1/me")
                .then().statusCode(401)
                .header("WWW-Authenticate", equalTo("Bearer realm=\"storeman\""));
    }

    @Test
    void meWhenGarbageTokenThenInvalidToken() {
        given().auth().oauth2("garbage").get("/api/v1/me")
                .then().statusCode(401)
                .header("WWW-Authenticate", containsString("error=\"invalid_token\""))
                .body("error", equalTo("invalid_token"));
    }

    @Test
    void meWhenOtherSchemeThenInvalidToken() {
        given().header("Authorization", "Basic dXNlcjpwYXNz").get("/api/v1/me")
                .then().statusCode(401)
                .header("WWW-Authenticate", containsString("error=\"invalid_token\""));
    }

    @Test
    void meWhenTokenLacksPublicScopeThen403InsufficientScope() {
        Account user = Fixtures.newUser();
        Tokens tokens = Fixtures.passwordTokens(Fixtures.newApp(user, "public read_items"), user, "read_items");
        given().auth().oauth2(tokens.accessToken()).get("/api/v1/me")
                .then().statusCode(403)
                .header("WWW-Authenticate", containsString("error=\"insufficient_scope\""))
                .header("WWW-Authenticate", containsString("scope=\"public\""))
                .body("error", equalTo("insufficient_scope"));
    }

    @Test
    void meWhenTamperedTokenThenInvalidToken() {
        Account user = Fixtures.newUser();
        Tokens tokens = Fixtures.passwordTokens(Fixtures.newApp(user, "public"), user, null);
        String[] parts = tokens.accessToken().split("\\.");
        String other = Fixtures.passwordTokens(Fixtures.newApp(user, "public"), user, null).accessToken();
        String tampered = parts[0] + "." + other.split("\\.")[1] + "." + parts[2];
        given().auth().oauth2(tampered).get("/api/v1/me")
                .then().statusCode(401).body("error", equalTo("invalid_token"));
    }
}
