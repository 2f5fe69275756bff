package io.storeman.oauth.token;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.restassured.RestAssured;
import io.storeman.support.AppInstance;
import io.storeman.support.Fixtures;
import io.storeman.support.Fixtures.Account;
import io.storeman.support.Fixtures.App;
import io.storeman.support.Fixtures.Tokens;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Refresh-token rotation under a race across instances (docs/security.md: conditional SQL updates, not JVM locks): one
 * refresh token presented 20 times at once, half through each of two instances of the packaged application on one
 * database, is honoured exactly once; every other attempt is {@code invalid_grant}, none a 5xx.
 */
class RefreshRaceAcrossInstancesIT {

    private static final int ATTEMPTS = 20;
    private static final ObjectMapper JSON = new ObjectMapper();

    private static AppInstance first;
    private static AppInstance second;

    @BeforeAll
    static void startTwoInstances() throws InterruptedException {
        first = AppInstance.start("it-race-1", "127.0.0.1:5432", Map.of());
        second = AppInstance.start("it-race-2", "127.0.0.1:5432", Map.of());
        first.awaitReady(Duration.ofSeconds(90));
        second.awaitReady(Duration.ofSeconds(90));
        RestAssured.port = first.port();
    }

    @AfterAll
    static void stopInstances() throws InterruptedException {
        if (first != null) {
            first.close();
        }
        if (second != null) {
            second.close();
        }
    }

    @Test
    void refreshWhenOneTokenPresentedTwentyTimesAcrossTwoInstancesThenExactlyOneSuccess() throws Exception {
        Account user = Fixtures.newUser();
        App app = Fixtures.newApp(user, "public");
        Tokens tokens = Fixtures.passwordTokens(app, user, null);
        String form = "grant_type=refresh_token&refresh_token=" + encode(tokens.refreshToken())
                + "&client_id=" + encode(app.clientId()) + "&client_secret=" + encode(app.clientSecret());
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        // Open connections on both instances first, so the attempts leave together rather than behind handshakes.
        for (AppInstance instance : List.of(first, second)) {
            http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + instance.port() + "/q/health/live"))
                    .build(), HttpResponse.BodyHandlers.discarding());
        }

        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(ATTEMPTS);
        List<Future<String>> outcomes = new ArrayList<>();
        try {
            for (int i = 0; i < ATTEMPTS; i++) {
                AppInstance target = i % 2 == 0 ? first : second;
                HttpRequest request = HttpRequest.newBuilder(
                                URI.create("http://127.0.0.1:" + target.port() + "/oauth/token"))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .timeout(Duration.ofSeconds(30))
                        .POST(HttpRequest.BodyPublishers.ofString(form))
                        .build();
                outcomes.add(pool.submit(() -> {
                    start.await();
                    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                    String error = response.statusCode() == 200 ? ""
                            : " " + JSON.readTree(response.body()).path("error").asText();
                    return response.statusCode() + error;
                }));
            }
            start.countDown();
            List<String> answers = new ArrayList<>();
            for (Future<String> outcome : outcomes) {
                answers.add(outcome.get());
            }
            Map<String, Long> counts = answers.stream()
                    .collect(Collectors.groupingBy(Function.identity(), TreeMap::new, Collectors.counting()));
            System.out.println("20 concurrent refreshes of one token across two instances: " + counts);

            assertEquals(Map.of("200", 1L, "400 invalid_grant", (long) ATTEMPTS - 1), counts);
        } finally {
            pool.shutdownNow();
        }
        // The old token stays used up on both instances.
        for (AppInstance instance : List.of(first, second)) {
            given().port(instance.port()).formParam("grant_type", "refresh_token")
                    .formParam("refresh_token", tokens.refreshToken())
                    .formParam("client_id", app.clientId()).formParam("client_secret", app.clientSecret())
                    .post("/oauth/token").then().statusCode(400);
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
