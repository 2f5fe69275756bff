package io.storeman.oauth.revoke;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.storeman.support.AppInstance;
import io.storeman.support.Fixtures;
import io.storeman.support.TwoInstances;
import io.storeman.support.Fixtures.Account;
import io.storeman.support.Fixtures.App;
import io.storeman.support.Fixtures.Tokens;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A family revocation wins every race with a rotation (docs/security.md R4), across two instances of the packaged
 * application on one database. In each trial an attacker rotates a stolen refresh token in a tight loop through one
 * instance while the victim presents the old one through the other; the reuse revokes the family. Afterwards no
 * token the attacker obtained may work anywhere: not the newest refresh token, not the newest access token. Before
 * R4 the rotation that was in flight when the revocation started stored a successor the revocation never saw.
 */
class RevocationRaceIT {

    private static final int TRIALS = 300;
    /** Rotations the attacker may still make after the reuse was answered before the trial counts as lost. */
    private static final int ROTATIONS_AFTER_REUSE = 20;
    /** How long an instance may take to learn of a revocation made on the other (docs/security.md D8). */
    private static final Duration PROPAGATION = Duration.ofSeconds(3);
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** Every trial is a new grant for the same user: the per-user quota is lifted (R2 has tests of its own). */
    @RegisterExtension
    static final TwoInstances instances = new TwoInstances("it-revocation-race",
            Map.of("STOREMAN_OAUTH_GRANTS_PER_USER", "100000"));


    @Test
    void reuseWhenRacingRotationsAcrossTwoInstancesThenNoTokenOfTheFamilySurvives() throws Exception {
        Account user = Fixtures.newUser();
        App app = Fixtures.newApp(user, "public");
        ExecutorService attackers = Executors.newSingleThreadExecutor();
        List<String> survivors = new ArrayList<>();
        int racing = 0;
        try {
            for (int trial = 0; trial < TRIALS; trial++) {
                Outcome outcome = trial(app, user, attackers);
                racing += outcome.rotationsAfterReuse() > 0 ? 1 : 0;
                outcome.survivor().ifPresent(survivors::add);
            }
        } finally {
            attackers.shutdownNow();
        }
        System.out.printf("%d trials, %d with a rotation answered after the reuse, %d survivors%n", TRIALS, racing,
                survivors.size());
        assertEquals(List.of(), survivors);
    }

    private record Outcome(int rotationsAfterReuse, Optional<String> survivor) {
    }

    /** One race: returns what survived it, if anything. */
    private static Outcome trial(App app, Account user, ExecutorService attackers) throws Exception {
        Tokens stolen = Fixtures.passwordTokens(app, user, null);
        String victimsOld = stolen.refreshToken();
        // The attacker's first rotation makes the victim's token an old one.
        Tokens current = rotate(instances.first(), app, victimsOld).orElseThrow();
        AtomicReference<Tokens> newest = new AtomicReference<>(current);
        AtomicInteger rotations = new AtomicInteger();
        AtomicInteger afterReuse = new AtomicInteger(-1);
        CompletableFuture<Void> attacker = CompletableFuture.runAsync(() -> {
            try {
                while (afterReuse.get() < ROTATIONS_AFTER_REUSE) {
                    Optional<Tokens> next = rotate(instances.first(), app, newest.get().refreshToken());
                    if (next.isEmpty()) {
                        return;
                    }
                    newest.set(next.get());
                    rotations.incrementAndGet();
                    afterReuse.updateAndGet(count -> count < 0 ? count : count + 1);
                }
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }, attackers);
        // Let the attacker get going (0 to 3 rotations), then the victim presents the old token.
        int head = ThreadLocalRandom.current().nextInt(4);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (rotations.get() < head && !attacker.isDone() && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertEquals(Optional.empty(), rotate(instances.second(), app, victimsOld), "the reuse must be refused");
        afterReuse.compareAndSet(-1, 0);
        attacker.get(30, TimeUnit.SECONDS);

        Tokens last = newest.get();
        if (afterReuse.get() >= ROTATIONS_AFTER_REUSE) {
            return new Outcome(afterReuse.get(), Optional.of("the attacker kept rotating"));
        }
        for (AppInstance instance : List.of(instances.second(), instances.first())) {
            if (rotate(instance, app, last.refreshToken()).isPresent()) {
                return new Outcome(afterReuse.get(), Optional.of("the newest refresh token"));
            }
        }
        for (AppInstance instance : instances.both()) {
            if (!refusedWithin(instance, last.accessToken(), PROPAGATION)) {
                return new Outcome(afterReuse.get(), Optional.of("the newest access token on "
                        + instance.port()));
            }
        }
        return new Outcome(afterReuse.get(), Optional.empty());
    }

    /** A refresh through {@code instance}: the new tokens, or empty when refused with {@code invalid_grant}. */
    private static Optional<Tokens> rotate(AppInstance instance, App app, String refreshToken)
            throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(instance.refreshRequest(app, refreshToken),
                HttpResponse.BodyHandlers.ofString());
        JsonNode body = JSON.readTree(response.body());
        if (response.statusCode() == 400 && "invalid_grant".equals(body.path("error").asText())) {
            return Optional.empty();
        }
        assertEquals(200, response.statusCode(), response.body());
        return Optional.of(new Tokens(body.path("access_token").asText(),
                body.path("refresh_token").asText(), body.path("scope").asText()));
    }

    /** Whether the API of {@code instance} refuses {@code accessToken} with 401 within {@code patience}. */
    private static boolean refusedWithin(AppInstance instance, String accessToken, Duration patience)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + patience.toNanos();
        while (true) {
            int status = HTTP.send(HttpRequest.newBuilder(instance.uri("/api/v1/me"))
                    .header("Authorization", "Bearer " + accessToken).timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
            if (status == 401) {
                return true;
            }
            assertEquals(200, status, "GET /api/v1/me");
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(20);
        }
    }
}
