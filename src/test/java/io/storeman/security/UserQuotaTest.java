package io.storeman.security;

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
 * What one user may do in a window (docs/security.md R2): at most {@code storeman.oauth.grants-per-user} new grants
 * (then 429 {@code slow_down} with {@code Retry-After}; other users and refreshes unaffected) and at most
 * {@code storeman.oauth.applications-per-user} new applications (then a 429 problem).
 */
@QuarkusTest
class UserQuotaTest {

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

        String retryAfter = Fixtures.passwordGrant(app, user, null).statusCode(429)
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

    @Test
    void createApplicationWhenTheUsersQuotaIsSpentThen429ProblemWithRetryAfter() {
        Account user = Fixtures.newUser();
        for (int i = 0; i < config.oauth().applicationsPerUser(); i++) {
            Fixtures.newApp(user, "public");
        }

        given().auth().preemptive().basic(user.email(), user.password())
                .contentType("application/json")
                .body("{\"name\":\"one too many\",\"scopes\":\"public\"}")
                .post("/api/v1/oauth/applications")
                .then().statusCode(429)
                .contentType("application/problem+json")
                .body("status", equalTo(429))
                .header("Retry-After", notNullValue());
        Account other = Fixtures.newUser();
        Fixtures.newApp(other, "public");
    }
}
