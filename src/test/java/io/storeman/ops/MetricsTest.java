package io.storeman.ops;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.storeman.support.Fixtures;
import io.storeman.support.Fixtures.Account;
import io.storeman.support.Fixtures.App;
import io.storeman.support.Fixtures.Tokens;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The security counters at /q/metrics move with the events they count. */
@QuarkusTest
class MetricsTest {

    private static double metric(String name, String labels) {
        String body = given().get("/q/metrics").then().statusCode(200).extract().asString();
        Pattern line = Pattern.compile("^" + Pattern.quote(name) + "(?:\\{([^}]*)\\})? (\\S+)$", Pattern.MULTILINE);
        Matcher matcher = line.matcher(body);
        double sum = 0;
        while (matcher.find()) {
            if (labels == null || (matcher.group(1) != null && matcher.group(1).contains(labels))) {
                sum += Double.parseDouble(matcher.group(2));
            }
        }
        return sum;
    }

    private static void assertGrew(String what, double before, double after) {
        assertTrue(after > before, what + " went from " + before + " to " + after);
    }

    @Test
    void tokenEventsThenCountersMove() {
        double issued = metric("storeman_tokens_issued_total", "grant_type=\"password\"");
        double refreshed = metric("storeman_tokens_issued_total", "grant_type=\"refresh_token\"");
        double invalidGrant = metric("storeman_token_errors_total", "error=\"invalid_grant\"");
        double failures = metric("storeman_sign_in_failures_total", null);
        double reuse = metric("storeman_refresh_token_reuse_total", null);
        double revocations = metric("storeman_revocations_total", null);
        double hashes = metric("storeman_password_hash_seconds_count", null);

        Account user = Fixtures.newUser();
        App app = Fixtures.newApp(user, "public");
        Tokens tokens = Fixtures.passwordTokens(app, user, null);
        given().formParam("grant_type", "password").formParam("username", user.email())
                .formParam("password", "wrong password").formParam("client_id", app.clientId())
                .formParam("client_secret", app.clientSecret()).post("/oauth/token").then().statusCode(400);
        for (int i = 0; i < 2; i++) {
            Fixtures.refresh(app, tokens.refreshToken(), null);
        }
        given().formParam("token", tokens.accessToken()).formParam("client_id", app.clientId())
                .formParam("client_secret", app.clientSecret()).post("/oauth/revoke").then().statusCode(200);

        assertGrew("password tokens", issued, metric("storeman_tokens_issued_total", "grant_type=\"password\""));
        assertGrew("refreshes", refreshed, metric("storeman_tokens_issued_total", "grant_type=\"refresh_token\""));
        assertGrew("invalid_grant errors", invalidGrant,
                metric("storeman_token_errors_total", "error=\"invalid_grant\""));
        assertGrew("failed sign-ins", failures, metric("storeman_sign_in_failures_total", null));
        assertGrew("reuse detections", reuse, metric("storeman_refresh_token_reuse_total", null));
        assertGrew("revocations", revocations, metric("storeman_revocations_total", null));
        assertGrew("password hashes", hashes, metric("storeman_password_hash_seconds_count", null));
        assertTrue(metric("storeman_revocation_list_size", null) >= 1, "revocation list size");
    }
}
