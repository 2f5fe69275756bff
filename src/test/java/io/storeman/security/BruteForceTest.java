package io.storeman.security;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import io.storeman.support.Fixtures;
import io.storeman.support.Fixtures.Account;
import io.storeman.support.Fixtures.App;
import io.storeman.support.ProxiedClients;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Brute-force protection: slowing per account and address, and per account from everywhere, answered exactly like a
 * wrong password; per-address 429. Requests come through a trusted proxy, so each test speaks from addresses of its
 * own.
 */
@QuarkusTest
@TestProfile(BruteForceTest.Limits.class)
class BruteForceTest {

    private static final int ADDRESS_FAILURES = 30;
    private static final int ACCOUNT_WIDE_FAILURES = 40;

    public static class Limits implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return ProxiedClients.profile("_bruteforce", Map.of(
                    "storeman.throttle.address-failures", Integer.toString(ADDRESS_FAILURES),
                    "storeman.throttle.account-wide-failures", Integer.toString(ACCOUNT_WIDE_FAILURES),
                    "storeman.http.trusted-proxies", "127.0.0.1,::1,10.0.0.0/8"));
        }
    }

    @Inject
    Pool pool;

    @TestHTTPResource("/")
    URI root;

    private static Response passwordGrant(App app, String username, String password, String address) {
        return given().header("X-Forwarded-For", address)
                .formParam("grant_type", "password")
                .formParam("username", username)
                .formParam("password", password)
                .formParam("client_id", app.clientId())
                .formParam("client_secret", app.clientSecret())
                .post("/oauth/token");
    }

    private static Response wrongClientSecret(App app, String forwardedFor) {
        return given().header("X-Forwarded-For", forwardedFor)
                .formParam("grant_type", "client_credentials")
                .formParam("client_id", app.clientId())
                .formParam("client_secret", "a wrong secret")
                .post("/oauth/token");
    }

    /** Enough failed client authentications from {@code address} to block it. */
    private static void block(App app, String address) {
        for (int i = 0; i < ADDRESS_FAILURES; i++) {
            wrongClientSecret(app, address).then().statusCode(401);
        }
    }

    private long count(String sql, String value) {
        return pool.preparedQuery(sql).execute(Tuple.of(value))
                .map(rows -> rows.iterator().next().getLong(0))
                .await().atMost(Duration.ofSeconds(10));
    }

    private long accountFailures(String email) {
        return count("select count(*) from account_failures where account = $1", email);
    }

    /** Statuses of {@code count} calls of {@code attempt}, all started at once. */
    private static List<Integer> atOnce(int count, Callable<Response> attempt) throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService threads = Executors.newFixedThreadPool(count);
        try {
            List<Future<Response>> responses = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                responses.add(threads.submit(() -> {
                    start.await();
                    return attempt.call();
                }));
            }
            start.countDown();
            List<Integer> statuses = new ArrayList<>();
            for (Future<Response> response : responses) {
                statuses.add(response.get().statusCode());
            }
            return statuses;
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void whenConcurrentWrongPasswordsThenEachCounted() throws Exception {
        Account user = Fixtures.newUser();
        App app = Fixtures.newApp(user, "public");
        int attempts = ACCOUNT_WIDE_FAILURES - 5;
        List<Integer> statuses = atOnce(attempts,
                () -> passwordGrant(app, user.email(), "wrong guess", ProxiedClients.newAddress()));
        assertEquals(Collections.nCopies(attempts, 400), statuses);
        assertEquals(attempts, accountFailures(user.email()));
    }

    @Test
    void accountWhenFiveFailuresFromAnAddressThenItsRightPasswordWaitsAndGetsTheSameAnswer() throws Exception {
        Account user = Fixtures.newUser();
        App app = Fixtures.newApp(user, "public");
        String address = ProxiedClients.newAddress();
        String wrongAnswer = null;
        for (int i = 0; i < 5; i++) {
            wrongAnswer = passwordGrant(app, user.email(), "wrong guess " + i, address).then().statusCode(400)
                    .extract().asString();
        }
        String throttled = passwordGrant(app, user.email(), user.password(), address).then().statusCode(400)
                .extract().asString();
        assertEquals(wrongAnswer, throttled, "no lockout oracle: the same answer as a wrong password");

        Thread.sleep(1100);
        passwordGrant(app, user.email(), user.password(), address).then().statusCode(200);
        assertEquals(0, accountFailures(user.email()), "a success clears its address's failures");
    }

    @Test
    void accountWhenAnAttackerHammersThenTheOwnerFromAnotherAddressSignsInAtOnce() {
        Account user = Fixtures.newUser();
        App app = Fixtures.newApp(user, "public");
        String attacker = ProxiedClients.newAddress();
        for (int i = 0; i < 15; i++) {
            passwordGrant(app, user.email(), "wrong guess " + i, attacker).then().statusCode(400);
        }
        passwordGrant(app, user.email(), user.password(), ProxiedClients.newAddress()).then().statusCode(200);
    }

    @Test
    void accountWhenThrottledAttemptsThenTheyDoNotMoveTheWindow() throws Exception {
        Account user = Fixtures.newUser();
        App app = Fixtures.newApp(user, "public");
        String attacker = ProxiedClients.newAddress();
        for (int i = 0; i < 5; i++) {
            passwordGrant(app, user.email(), "wrong guess " + i, attacker).then().statusCode(400);
        }
        long fifthFailure = System.nanoTime();
        // Sent at once, so that all of them meet the 1 s delay the fifth failure set, however slow the machine.
        List<Integer> statuses = atOnce(10,
                () -> passwordGrant(app, user.email(), "throttled guess", attacker));
        assertEquals(Collections.nCopies(10, 400), statuses);
        assertEquals(5, accountFailures(user.email()), "throttled attempts are not counted");
        // The fifth failure holds this address back for 1 s; ten attempts since then must not have stretched it.
        long waited = Duration.ofNanos(System.nanoTime() - fifthFailure).toMillis();
        Thread.sleep(Math.max(0, 1100 - waited));
        passwordGrant(app, user.email(), user.password(), attacker).then().statusCode(200);
    }

    @Test
    void accountWhenGuessedFromManyAddressesThenSlowedEverywhereButWhereTheOwnerSignedIn() {
        Account user = Fixtures.newUser();
        App app = Fixtures.newApp(user, "public");
        String home = ProxiedClients.newAddress();
        passwordGrant(app, user.email(), user.password(), home).then().statusCode(200);
        String wrongAnswer = null;
        for (int i = 0; i < ACCOUNT_WIDE_FAILURES; i++) {
            wrongAnswer = passwordGrant(app, user.email(), "wrong guess " + i, ProxiedClients.newAddress()).then()
                    .statusCode(400).extract().asString();
        }
        String elsewhere = passwordGrant(app, user.email(), user.password(), ProxiedClients.newAddress()).then().statusCode(400)
                .extract().asString();
        assertEquals(wrongAnswer, elsewhere, "slowed from a new address, answered like a wrong password");
        passwordGrant(app, user.email(), user.password(), home).then().statusCode(200);
    }

    @Test
    void unknownAccountWhenGuessedThenCountedAndAnsweredTheSame() {
        Account owner = Fixtures.newUser();
        App app = Fixtures.newApp(owner, "public");
        String unknown = "nobody-" + owner.email();
        passwordGrant(app, unknown, "guess", ProxiedClients.newAddress()).then().statusCode(400).body("error", equalTo("invalid_grant"));
        assertEquals(1, accountFailures(unknown));
    }

    @Test
    void addressWhenTooManyFailuresThen429EverywhereAndOtherAddressesUnaffected() {
        Account user = Fixtures.newUser();
        App app = Fixtures.newApp(user, "public");
        String attacker = ProxiedClients.newAddress();
        block(app, attacker);
        passwordGrant(app, user.email(), user.password(), attacker).then().statusCode(429)
                .header("Retry-After", notNullValue())
                .body("error", equalTo("slow_down"));
        given().header("X-Forwarded-For", attacker).auth().preemptive().basic(user.email(), user.password())
                .get("/api/v1/oauth/applications").then().statusCode(429)
                .contentType("application/problem+json");
        given().header("X-Forwarded-For", attacker).get("/users/sign_in").then().statusCode(429)
                .contentType(containsString("text/html")).header("Retry-After", notNullValue());
        passwordGrant(app, user.email(), user.password(), ProxiedClients.newAddress()).then().statusCode(200);
    }

    @Test
    void addressWhenOnlySuccessfulRequestsThenNeverSlowed() {
        Account user = Fixtures.newUser();
        App app = Fixtures.newApp(user, "public");
        String busy = ProxiedClients.newAddress();
        for (int i = 0; i < ADDRESS_FAILURES + 5; i++) {
            given().header("X-Forwarded-For", busy)
                    .formParam("grant_type", "client_credentials")
                    .formParam("client_id", app.clientId())
                    .formParam("client_secret", app.clientSecret())
                    .post("/oauth/token").then().statusCode(200);
        }
    }

    @Test
    void forwardedForWhenLeftmostHopsForgedThenTheRightmostUntrustedHopIsCounted() {
        Account user = Fixtures.newUser();
        App app = Fixtures.newApp(user, "public");
        String client = ProxiedClients.newAddress();
        for (int i = 0; i < ADDRESS_FAILURES; i++) {
            wrongClientSecret(app, ProxiedClients.newAddress() + ", " + client + ", 10.1.1.1").then().statusCode(401);
        }
        passwordGrant(app, user.email(), user.password(), "203.0.113.50, " + client).then().statusCode(429);
        passwordGrant(app, user.email(), user.password(), client + ", " + ProxiedClients.newAddress()).then().statusCode(200);
    }

    @Test
    void ipv6WhenTwoAddressesShareA64ThenTheyShareOneCount() {
        Account user = Fixtures.newUser();
        App app = Fixtures.newApp(user, "public");
        int n = ProxiedClients.newNumber();
        String prefix = "2001:db8:" + Integer.toHexString(n) + ":1:";
        for (int i = 0; i < ADDRESS_FAILURES; i++) {
            wrongClientSecret(app, prefix + (i % 2 == 0 ? "aaaa::1" : "ffff:1:2:3")).then().statusCode(401);
        }
        passwordGrant(app, user.email(), user.password(), prefix + "1234::5").then().statusCode(429);
        passwordGrant(app, user.email(), user.password(), "2001:db8:" + Integer.toHexString(n) + ":2::1")
                .then().statusCode(200);
    }

    /**
     * Every guarded endpoint spelt otherwise (trailing or doubled slash, percent escapes, dot segments, case, matrix
     * parameters) is either served nowhere or guarded like its plain spelling.
     */
    @Test
    void pathVariantsWhenAddressBlockedThenNotFoundOr429() throws Exception {
        Account user = Fixtures.newUser();
        App app = Fixtures.newApp(user, "public");
        String attacker = ProxiedClients.newAddress();
        block(app, attacker);
        List<String> endpoints = List.of("/oauth/token", "/oauth/revoke", "/oauth/introspect", "/oauth/token/info",
                "/oauth/authorize", "/api/v1/oauth/applications", "/api/v1/oauth/applications/" + app.id(),
                "/api/v1/authorized_applications", "/api/v1/me/password", "/api/v1/users", "/users/sign_in",
                "/users/sign_up");
        String basic = "Basic " + Base64.getEncoder().encodeToString(
                (user.email() + ":" + user.password()).getBytes(StandardCharsets.UTF_8));
        // Sent as written: RestAssured's client would resolve dot segments and re-encode escapes first.
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        List<String> failures = new ArrayList<>();
        for (String endpoint : endpoints) {
            int slash = endpoint.lastIndexOf('/');
            String escaped = endpoint.substring(0, slash + 1) + "%" + Integer.toHexString(endpoint.charAt(slash + 1))
                    + endpoint.substring(slash + 2);
            for (String variant : List.of(endpoint, endpoint + "/", "/" + endpoint, endpoint.replace("/", "//"),
                    escaped, endpoint.substring(0, slash) + "%2F" + endpoint.substring(slash + 1),
                    "/x/.." + endpoint, "/x/%2e%2e" + endpoint, endpoint.replaceFirst("/", "/./"),
                    endpoint.toUpperCase(Locale.ROOT), endpoint + ";x=1")) {
                for (boolean post : new boolean[] {false, true}) {
                    HttpRequest request = HttpRequest.newBuilder(URI.create(root + variant.substring(1)))
                            .header("X-Forwarded-For", attacker).header("Authorization", basic)
                            .header("Content-Type", "application/x-www-form-urlencoded")
                            .method(post ? "POST" : "GET", post
                                    ? HttpRequest.BodyPublishers.ofString("grant_type=password")
                                    : HttpRequest.BodyPublishers.noBody())
                            .build();
                    int status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
                    if (status != 404 && status != 429) {
                        failures.add((post ? "POST " : "GET ") + variant + " -> " + status);
                    }
                }
            }
        }
        assertEquals(List.of(), failures, "served without the address guard");
        given().header("X-Forwarded-For", attacker).get("/q/health/live").then().statusCode(200);
    }
}
