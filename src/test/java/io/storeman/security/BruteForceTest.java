package io.storeman.security;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import io.storeman.support.Fixtures;
import io.storeman.support.Fixtures.Account;
import io.storeman.support.Fixtures.App;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/**
 * Brute-force protection: per-account slowing answered exactly like a wrong password, per-address 429. Requests
 * come through a trusted proxy so each test can speak from addresses of its own.
 */
@QuarkusTest
@TestProfile(BruteForceTest.Limits.class)
class BruteForceTest {

    public static class Limits implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // A schema of its own: failures other test classes leave behind for 127.0.0.1 must not block it here.
            String schema = System.getenv().getOrDefault("STOREMAN_TEST_SCHEMA", "storeman_test") + "_bruteforce";
            return Map.of(
                    "quarkus.datasource.reactive.url", "postgresql://127.0.0.1:5432/postgres?search_path=" + schema,
                    "quarkus.datasource.jdbc.url", "jdbc:postgresql://127.0.0.1:5432/postgres?currentSchema=" + schema,
                    "quarkus.flyway.schemas", schema,
                    "storeman.throttle.address-failures", "10",
                    "quarkus.http.proxy.proxy-address-forwarding", "true",
                    "quarkus.http.proxy.allow-x-forwarded", "true",
                    "quarkus.http.proxy.enable-forwarded-host", "false",
                    "quarkus.http.proxy.trusted-proxies", "127.0.0.1");
        }
    }

    @Inject
    Pool pool;

    private static String newAddress() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return "10." + random.nextInt(256) + "." + random.nextInt(256) + "." + random.nextInt(1, 255);
    }

    private static Response passwordGrant(App app, String username, String password, String address) {
        return given().header("X-Forwarded-For", address)
                .formParam("grant_type", "password")
                .formParam("username", username)
                .formParam("password", password)
                .formParam("client_id", app.clientId())
                .formParam("client_secret", app.clientSecret())
                .post("/oauth/token");
    }

    private long accountFailures(String email) {
        return pool.preparedQuery("select count(*) from account_failures where account = $1")
                .execute(Tuple.of(email))
                .map(rows -> rows.iterator().next().getLong(0))
                .await().atMost(Duration.ofSeconds(10));
    }

    @Test
    void fiftyConcurrentWrongPasswordsThenFiftyCountedFailures() throws Exception {
        Account user = Fixtures.newUser();
        App app = Fixtures.newApp(user, "public");
        int attempts = 50;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService threads = Executors.newFixedThreadPool(attempts);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int i = 0; i < attempts; i++) {
                results.add(threads.submit(() -> {
                    start.await();
                    return passwordGrant(app, user.email(), "wrong guess", newAddress()).statusCode();
                }));
            }
            start.countDown();
            for (Future<Integer> result : results) {
                assertEquals(400, result.get());
            }
        } finally {
            threads.shutdownNow();
        }
        assertEquals(attempts, accountFailures(user.email()));
    }

    @Test
    void accountWhenFiveFailuresThenEvenTheRightPasswordWaitsAndGetsTheSameAnswer() throws Exception {
        Account user = Fixtures.newUser();
        App app = Fixtures.newApp(user, "public");
        String wrongAnswer = null;
        for (int i = 0; i < 5; i++) {
            wrongAnswer = passwordGrant(app, user.email(), "wrong guess " + i, newAddress()).then().statusCode(400)
                    .extract().asString();
        }
        String throttled = passwordGrant(app, user.email(), user.password(), newAddress()).then().statusCode(400)
                .extract().asString();
        assertEquals(wrongAnswer, throttled, "no lockout oracle: the same answer as a wrong password");

        Thread.sleep(2100);
        passwordGrant(app, user.email(), user.password(), newAddress()).then().statusCode(200);
        assertEquals(0, accountFailures(user.email()), "a success clears the count");
    }

    @Test
    void unknownAccountWhenGuessedThenCountedAndAnsweredTheSame() {
        Account owner = Fixtures.newUser();
        App app = Fixtures.newApp(owner, "public");
        String unknown = "nobody-" + owner.email();
        passwordGrant(app, unknown, "guess", newAddress()).then().statusCode(400).body("error", equalTo("invalid_grant"));
        assertEquals(1, accountFailures(unknown));
    }

    @Test
    void addressWhenTooManyFailuresThen429EverywhereAndOtherAddressesUnaffected() {
        Account user = Fixtures.newUser();
        App app = Fixtures.newApp(user, "public");
        String attacker = newAddress();
        for (int i = 0; i < 10; i++) {
            given().header("X-Forwarded-For", attacker)
                    .formParam("grant_type", "client_credentials")
                    .formParam("client_id", app.clientId())
                    .formParam("client_secret", "guess-" + i)
                    .post("/oauth/token").then().statusCode(401);
        }
        passwordGrant(app, user.email(), user.password(), attacker).then().statusCode(429)
                .header("Retry-After", notNullValue())
                .body("error", equalTo("slow_down"));
        given().header("X-Forwarded-For", attacker).auth().preemptive().basic(user.email(), user.password())
                .get("/api/v1/oauth/applications").then().statusCode(429)
                .contentType("application/problem+json");
        passwordGrant(app, user.email(), user.password(), newAddress()).then().statusCode(200);
    }

    @Test
    void addressWhenOnlySuccessfulRequestsThenNeverSlowed() {
        Account user = Fixtures.newUser();
        App app = Fixtures.newApp(user, "public");
        String busy = newAddress();
        for (int i = 0; i < 15; i++) {
            given().header("X-Forwarded-For", busy)
                    .formParam("grant_type", "client_credentials")
                    .formParam("client_id", app.clientId())
                    .formParam("client_secret", app.clientSecret())
                    .post("/oauth/token").then().statusCode(200);
        }
    }
}
