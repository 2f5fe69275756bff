package io.storeman.oauth.token;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.emptyOrNullString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.storeman.support.Fixtures;
import io.storeman.support.Fixtures.Account;
import io.storeman.support.Fixtures.App;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
class TokenEndpointTest {

    @Test
    void passwordGrantWhenFormBodyThenTokensWithNoStore() {
        Account user = Fixtures.newUser();
        App app = Fixtures.newApp(user, Fixtures.ALL_SCOPES);
        given().formParam("grant_type", "password")
                .formParam("username", user.email())
                .formParam("password", user.password())
                .formParam("client_id", app.clientId())
                .formParam("client_secret", app.clientSecret())
                .formParam("scope", "read_items write_items")
                .post("/oauth/token")
                .then().statusCode(200)
                .header("Cache-Control", "no-store")
                .header("Pragma", "no-cache")
                .body("token_type", equalTo("Bearer"))
                .body("expires_in", equalTo(7200))
                .body("scope", equalTo("read_items write_items"))
                .body("access_token", not(emptyOrNullString()))
                .body("refresh_token", not(emptyOrNullString()));
    }

    @Test
    void passwordGrantWhenJsonBodyThenTokens() {
        Account user = Fixtures.newUser();
        App app = Fixtures.newApp(user, Fixtures.ALL_SCOPES);
        given().contentType(ContentType.JSON)
                .body(Map.of("grant_type", "password", "username", user.email(), "password", user.password(),
                        "client_id", app.clientId(), "client_secret", app.clientSecret()))
                .post("/oauth/token")
                .then().statusCode(200)
                .body("scope", equalTo("public"));
    }
}
