package io.storeman.oauth.token;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.storeman.common.StoremanConfig;
import io.storeman.support.Fixtures;
import io.storeman.support.Fixtures.Account;
import io.storeman.support.Fixtures.App;
import io.storeman.support.Fixtures.Tokens;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

/**
 * A user receives at most {@code storeman.oauth.grants-per-user} new grants a window (docs/security.md R2): the next
 * gets 429 {@code slow_down} with {@code Retry-After}, other users and refreshes are unaffected.
 */
@QuarkusTest
class GrantQuotaTest {

    @Inject
    StoremanConfig config;

    @Test
    void passwordGrantWhenTheUsersQuotaIsSpentThen429AndOthersAndRefreshesUnaffected() {
        Account user = Fixtures.newUser();
        App app = Fixtures.newApp(user, "public");
        Tokens last = null;
        for (int i = 0; i < config.oauth().grantsPerUser(); i++) {
            last = Fixtures.passwordTokens(app, user, null);
        }

        String retryAfter = given().formParam("grant_type", "password")
                .formParam("username", user.email()).formParam("password", user.password())
                .formParam("client_id", app.clientId()).formParam("client_secret", app.clientSecret())
                .post("/oauth/token")
                .then().statusCode(429)
                .contentType("application/json")
                .header("Cache-Control", "no-store")
                .body("error", equalTo("slow_down"))
                .header("Retry-After", notNullValue())
                .extract().header("Retry-After");
        long seconds = Long.parseLong(retryAfter);
        assertTrue(seconds >= 1 && seconds <= config.oauth().grantsPerUserWindow().toSeconds(), retryAfter);

        Fixtures.refresh(app, last.refreshToken(), null).statusCode(200);
        Account other = Fixtures.newUser();
        Fixtures.passwordTokens(Fixtures.newApp(other, "public"), other, null);
    }
}
