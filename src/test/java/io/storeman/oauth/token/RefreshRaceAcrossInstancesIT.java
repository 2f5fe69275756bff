package io.storeman.oauth.token;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.storeman.support.AppInstance;
import io.storeman.support.Fixtures;
import io.storeman.support.TwoInstances;
import io.storeman.support.Fixtures.Account;
import io.storeman.support.Fixtures.App;
import io.storeman.support.Fixtures.Tokens;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Refresh-token rotation under a race across instances (docs/security.md: conditional SQL updates, not JVM locks): one
 * refresh token presented 20 times at once, half through each of two instances of the packaged application on one
 * database, is honoured exactly once; every other attempt is {@code invalid_grant}, none a 5xx.
 */
class RefreshRaceAcrossInstancesIT {

    private static final int ATTEMPTS = 20;
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final TwoInstances instances = new TwoInstances("it-race");



    @Test
    void refreshWhenOneTokenPresentedTwentyTimesAcrossTwoInstancesThenExactlyOneSuccess() throws Exception {
        Account user = Fixtures.newUser();
        App app = Fixtures.newApp(user, "public");
        Tokens tokens = Fixtures.passwordTokens(app, user, null);
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        // Open connections on both instances first, so the attempts leave together rather than behind handshakes.
        for (AppInstance instance : instances.both()) {
            http.send(HttpRequest.newBuilder(instance.uri("/q/health/live"))
                    .build(), HttpResponse.BodyHandlers.discarding());
        }

        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(ATTEMPTS);
        List<Future<String>> outcomes = new ArrayList<>();
        try {
            for (int i = 0; i < ATTEMPTS; i++) {
                AppInstance target = i % 2 == 0 ? instances.first() : instances.second();
                HttpRequest request = target.refreshRequest(app, tokens.refreshToken());
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
        for (AppInstance instance : instances.both()) {
            instance.refresh(app, tokens.refreshToken()).statusCode(400);
        }
    }
}
