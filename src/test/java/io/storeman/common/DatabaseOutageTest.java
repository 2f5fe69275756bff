package io.storeman.common;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.storeman.support.DatabaseOutageResource;
import io.storeman.support.Fixtures;
import io.storeman.support.Fixtures.Account;
import io.storeman.support.Fixtures.App;
import io.storeman.support.Fixtures.Tokens;
import io.storeman.support.OAuthAnswers;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.Test;

/**
 * A database outage, staged by cutting a proxy between this instance and PostgreSQL: the OAuth endpoints answer
 * 503 temporarily_unavailable (D7), the API fails closed with 503 (D8), readiness goes down, and everything
 * recovers on its own with no token lost.
 */
@QuarkusTest
@TestProfile(DatabaseOutageTest.Outage.class)
class DatabaseOutageTest {

    public static class Outage implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(DatabaseOutageResource.class));
        }

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("storeman.revocation.max-staleness", "PT3S");
        }
    }

    private static void awaitStatus(int expected, IntSupplier status, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        int last = -1;
        while (System.nanoTime() < deadline) {
            last = status.getAsInt();
            if (last == expected) {
                return;
            }
            Thread.sleep(200);
        }
        assertEquals(expected, last, "status after " + timeout);
    }

    @Test
    void databaseOutageThen503sReadinessDownAndFullRecoveryWithNoTokenLost() throws Exception {
        Account user = Fixtures.newUser();
        App app = Fixtures.newApp(user, "public");
        Tokens before = Fixtures.passwordTokens(app, user, null);
        Tokens toRevoke = Fixtures.passwordTokens(app, user, null);

        DatabaseOutageResource.proxy().cut();
        try {
            Fixtures.passwordGrant(app, user, null).spec(OAuthAnswers.temporarilyUnavailable());
            Fixtures.refresh(app, before.refreshToken(), null).spec(OAuthAnswers.temporarilyUnavailable());
            given().formParam("token", toRevoke.refreshToken())
                    .formParam("client_id", app.clientId())
                    .formParam("client_secret", app.clientSecret())
                    .post("/oauth/revoke")
                    .then().spec(OAuthAnswers.temporarilyUnavailable());
            given().auth().oauth2(before.accessToken()).get("/api/v1/me")
                    .then().statusCode(503).header("Retry-After", notNullValue());
            awaitStatus(503, () -> given().get("/q/health/ready").statusCode(), Duration.ofSeconds(10));
            // Once the revocation list is stale, the API refuses to vouch even for tokens it could verify alone.
            Thread.sleep(3500);
            given().auth().oauth2(before.accessToken()).get("/api/v1/me").then().statusCode(503);
            given().get("/q/health/live").then().statusCode(200);
        } finally {
            DatabaseOutageResource.proxy().restore();
        }

        awaitStatus(200, () -> given().get("/q/health/ready").statusCode(), Duration.ofSeconds(30));
        awaitStatus(200, () -> given().auth().oauth2(before.accessToken()).get("/api/v1/me").statusCode(),
                Duration.ofSeconds(10));
        // Nothing issued before the outage was lost, and the failed revoke changed nothing.
        Fixtures.refresh(app, before.refreshToken(), null).statusCode(200);
        Fixtures.refresh(app, toRevoke.refreshToken(), null).statusCode(200);
    }
}
