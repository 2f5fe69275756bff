package io.storeman.oauth.token;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.storeman.support.Fixtures;
import io.storeman.support.Fixtures.Account;
import io.storeman.support.Fixtures.App;
import io.storeman.support.Fixtures.Tokens;
import io.storeman.support.OAuthAnswers;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

@QuarkusTest
class RefreshTokenGrantTest {

    static ValidatableResponse refresh(App app, String refreshToken, String scope) {
        return Fixtures.refresh(app, refreshToken, scope);
    }

    static int meStatus(String accessToken) {
        return given().auth().oauth2(accessToken).get("/api/v1/me").statusCode();
    }

    @Test
    void refreshWhenValidThenRotatesAndRetiresOldTokens() {
        Account user = Fixtures.newUser();
        App app = Fixtures.newApp(user, Fixtures.ALL_SCOPES);
        Tokens first = Fixtures.passwordTokens(app, user, "public read_items");

        var json = refresh(app, first.refreshToken(), null).statusCode(200)
                .header("Cache-Control", "no-store")
                .body("scope", equalTo("public read_items"))
                .body("refresh_token", not(equalTo(first.refreshToken())))
                .extract().jsonPath();

        assertEquals(200, meStatus(json.getString("access_token")));
        assertEquals(401, meStatus(first.accessToken()), "the access token issued with the used refresh token");
    }

    @Test
    void refreshWhenJsonBodyThenRotates() {
        Account user = Fixtures.newUser();
        App app = Fixtures.newApp(user, "public");
        Tokens first = Fixtures.passwordTokens(app, user, null);
        given().contentType(ContentType.JSON)
                .body(Map.of("grant_type", "refresh_token", "refresh_token", first.refreshToken(),
                        "client_id", app.clientId(), "client_secret", app.clientSecret()))
                .post("/oauth/token")
                .then().statusCode(200).body("scope", equalTo("public"));
    }

    @Test
    void refreshWhenNarrowerScopeThenNarrowAccessAndFullGrantKept() {
        Account user = Fixtures.newUser();
        App app = Fixtures.newApp(user, Fixtures.ALL_SCOPES);
        Tokens first = Fixtures.passwordTokens(app, user, "public read_items write_items");

        String second = refresh(app, first.refreshToken(), "read_items").statusCode(200)
                .body("scope", equalTo("read_items"))
                .extract().path("refresh_token");
        // The new refresh token keeps the original grant (RFC 6749 §6), so the wider scope can come back.
        refresh(app, second, "public write_items").statusCode(200)
                .body("scope", equalTo("public write_items"));
    }

    @Test
    void refreshWhenWiderScopeThenInvalidScope() {
        Account user = Fixtures.newUser();
        App app = Fixtures.newApp(user, Fixtures.ALL_SCOPES);
        Tokens first = Fixtures.passwordTokens(app, user, "public");
        refresh(app, first.refreshToken(), "public write_spaces").spec(OAuthAnswers.error(400, "invalid_scope"));
        // A refused request does not consume the token.
        refresh(app, first.refreshToken(), null).statusCode(200);
    }

    @Test
    void refreshWhenTokenAlreadyUsedThenInvalidGrantAndFamilyRevoked() {
        Account user = Fixtures.newUser();
        App app = Fixtures.newApp(user, "public");
        Tokens first = Fixtures.passwordTokens(app, user, null);
        var second = refresh(app, first.refreshToken(), null).statusCode(200).extract().jsonPath();

        refresh(app, first.refreshToken(), null).spec(OAuthAnswers.error(400, "invalid_grant"));

        refresh(app, second.getString("refresh_token"), null).spec(OAuthAnswers.error(400, "invalid_grant"));
        assertEquals(401, meStatus(second.getString("access_token")));
    }

    @Test
    void refreshWhenTokenOfAnotherClientThenInvalidGrantAndTokenUntouched() {
        Account user = Fixtures.newUser();
        App app = Fixtures.newApp(user, "public");
        App other = Fixtures.newApp(user, "public");
        Tokens tokens = Fixtures.passwordTokens(app, user, null);

        refresh(other, tokens.refreshToken(), null).spec(OAuthAnswers.error(400, "invalid_grant"));
        refresh(app, tokens.refreshToken(), null).statusCode(200);
    }

    @Test
    void refreshWhenUnknownTokenThenInvalidGrant() {
        Account user = Fixtures.newUser();
        App app = Fixtures.newApp(user, "public");
        refresh(app, "not-a-refresh-token", null).spec(OAuthAnswers.error(400, "invalid_grant"));
    }

    @Test
    void refreshWhenMissingTokenThenInvalidRequest() {
        Account user = Fixtures.newUser();
        App app = Fixtures.newApp(user, "public");
        given().formParam("grant_type", "refresh_token")
                .formParam("client_id", app.clientId())
                .formParam("client_secret", app.clientSecret())
                .post("/oauth/token")
                .then().statusCode(400).body("error", equalTo("invalid_request"));
    }

    @Test
    void refreshWhenTenConcurrentUsesThenExactlyOneSuccessAndNo5xx() throws Exception {
        Account user = Fixtures.newUser();
        App app = Fixtures.newApp(user, "public");
        Tokens tokens = Fixtures.passwordTokens(app, user, null);
        int attempts = 10;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(attempts);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int i = 0; i < attempts; i++) {
                Callable<Integer> call = () -> {
                    start.await();
                    return refresh(app, tokens.refreshToken(), null).extract().statusCode();
                };
                results.add(pool.submit(call));
            }
            start.countDown();
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> result : results) {
                statuses.add(result.get());
            }
            assertEquals(1, statuses.stream().filter(status -> status == 200).count(), statuses.toString());
            assertTrue(statuses.stream().allMatch(status -> status == 200 || status == 400), statuses.toString());
        } finally {
            pool.shutdownNow();
        }
    }
}
