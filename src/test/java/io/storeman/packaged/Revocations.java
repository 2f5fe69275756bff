package io.storeman.packaged;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;

/** What a revocation looks like from outside: the API refuses the token on every instance within one second. */
final class Revocations {

    private Revocations() {
    }

    /** Waits (up to three seconds, the contract's second with room for a loaded machine) for the API's 401. */
    static void awaitRefused(String accessToken) {
        long deadline = System.nanoTime() + Duration.ofSeconds(3).toNanos();
        int status;
        do {
            status = given().auth().oauth2(accessToken).get("/api/v1/me").statusCode();
            if (status == 401) {
                return;
            }
            sleep();
        } while (System.nanoTime() < deadline);
        assertEquals(401, status, "the revoked token is still accepted");
    }

    private static void sleep() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
