package io.storeman.oauth.introspect;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.nullValue;

import io.quarkus.test.junit.QuarkusTest;
import io.storeman.support.Fixtures;
import io.storeman.support.Fixtures.Account;
import io.storeman.support.Fixtures.App;
import io.storeman.support.Fixtures.Tokens;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** {@code GET /oauth/token/info}: Doorkeeper's token info for the Bearer token itself. */
@QuarkusTest
class TokenInfoEndpointTest {

    @Test
    void tokenInfoWhenTokenValidThenOwnerScopesExpiryApplicationAndCreation() {
        Account user = Fixtures.newUser();
        App app = Fixtures.newApp(user, Fixtures.ALL_SCOPES);
        Tokens tokens = Fixtures.passwordTokens(app, user, "read_items write_items");
        long now = Instant.now().getEpochSecond();

        given().auth().oauth2(tokens.accessToken())
                .get("/oauth/token/info")
                .then().statusCode(200)
                .header("Cache-Control", "no-store")
                .body("resource_owner_id", equalTo((int) user.id()))
                .body("scope", contains("read_items", "write_items"))
                .body("expires_in", allOf(greaterThan(7100), lessThanOrEqualTo(7200)))
                .body("application.uid", equalTo(app.clientId()))
                .body("created_at", allOf(greaterThan((int) now - 60), lessThanOrEqualTo((int) now + 60)));
    }

    @Test
    void tokenInfoWhenTokenLacksPublicScopeThenStillAnswered() {
        Account user = Fixtures.newUser();
        App app = Fixtures.newApp(user, Fixtures.ALL_SCOPES);
        Tokens tokens = Fixtures.passwordTokens(app, user, "read_spaces");

        given().auth().oauth2(tokens.accessToken())
                .get("/oauth/token/info")
                .then().statusCode(200)
                .body("scope", contains("read_spaces"));
    }

    @Test
    void tokenInfoWhenClientCredentialsTokenThenNoResourceOwner() {
        App app = Fixtures.newApp(Fixtures.newUser(), "public");
        String token = Fixtures.clientCredentialsToken(app, null);

        given().auth().oauth2(token)
                .get("/oauth/token/info")
                .then().statusCode(200)
                .body("resource_owner_id", nullValue())
                .body("application.uid", equalTo(app.clientId()));
    }

    @Test
    void tokenInfoWhenNoTokenThenBearerChallengeWithoutError() {
        given().get("/oauth/token/info")
                .then().statusCode(401)
                .header("WWW-Authenticate", allOf(containsString("Bearer"), not(containsString("error="))));
    }

    @Test
    void tokenInfoWhenTokenGarbageThenInvalidToken() {
        given().auth().oauth2("garbage")
                .get("/oauth/token/info")
                .then().statusCode(401)
                .header("WWW-Authenticate", containsString("error=\"invalid_token\""));
    }

    @Test
    void tokenInfoWhenTokenRevokedThenInvalidToken() {
        Account user = Fixtures.newUser();
        App app = Fixtures.newApp(user, "public");
        Tokens tokens = Fixtures.passwordTokens(app, user, null);
        given().auth().preemptive().basic(app.clientId(), app.clientSecret())
                .formParam("token", tokens.accessToken())
                .post("/oauth/revoke").then().statusCode(200);

        given().auth().oauth2(tokens.accessToken())
                .get("/oauth/token/info")
                .then().statusCode(401)
                .header("WWW-Authenticate", containsString("error=\"invalid_token\""));
    }
}
