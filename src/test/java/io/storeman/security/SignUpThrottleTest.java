package io.storeman.security;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.storeman.support.Pages;
import io.storeman.support.ProxiedClients;
import io.storeman.support.Pages.Visitor;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Sign-up limits per client address, checked before any password is hashed, and a taken e-mail's 409 answered only
 * a few times per address and window. Requests come through a trusted proxy, so each test speaks from addresses of
 * its own; no test data is made from 127.0.0.1 here, whose own sign-ups would count too.
 */
@QuarkusTest
@TestProfile(SignUpThrottleTest.Limits.class)
class SignUpThrottleTest {

    private static final int SIGN_UPS = 3;
    private static final int ATTEMPTS = 5;
    private static final String PASSWORD = "a perfectly fine passphrase";

    public static class Limits implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return ProxiedClients.profile("_signup", Map.of(
                    "storeman.throttle.sign-ups", Integer.toString(SIGN_UPS),
                    "storeman.throttle.sign-up-attempts", Integer.toString(ATTEMPTS)));
        }
    }

    @Inject
    Pool pool;

    @Inject
    MeterRegistry registry;

    private static String uniqueEmail() {
        return "signup-" + UUID.randomUUID() + "@example.com";
    }

    private static Response signUp(String email, String address) {
        return given().header("X-Forwarded-For", address).contentType(ContentType.JSON)
                .body(Map.of("email", email, "password", PASSWORD))
                .post("/api/v1/users");
    }

    private long hashesComputed() {
        return registry.get("storeman.password.hash").timer().count();
    }

    @Test
    void signUpWhenAddressCreatedItsAccountsThen429WithoutHashing() {
        String address = ProxiedClients.newAddress();
        for (int i = 0; i < SIGN_UPS; i++) {
            signUp(uniqueEmail(), address).then().statusCode(201);
        }
        long hashes = hashesComputed();
        signUp(uniqueEmail(), address).then().statusCode(429)
                .contentType("application/problem+json")
                .header("Retry-After", notNullValue())
                .body("status", equalTo(429));
        assertEquals(hashes, hashesComputed(), "refused before the password is hashed");
        signUp(uniqueEmail(), ProxiedClients.newAddress()).then().statusCode(201);
    }

    @Test
    void signUpWhenTakenEmailsProbedThenOnlyAFewAnswersPerWindow() {
        String taken = uniqueEmail();
        signUp(taken, ProxiedClients.newAddress()).then().statusCode(201);
        String prober = ProxiedClients.newAddress();
        for (int i = 0; i < ATTEMPTS; i++) {
            signUp(i % 2 == 0 ? taken : taken.toUpperCase(), prober).then().statusCode(409);
        }
        signUp(taken, prober).then().statusCode(429);
        signUp(uniqueEmail(), prober).then().statusCode(429);
        long failures = pool.preparedQuery("select failures from address_failures where address = $1")
                .execute(Tuple.of(prober)).map(rows -> rows.iterator().next().getLong(0))
                .await().atMost(Duration.ofSeconds(10));
        assertEquals(ATTEMPTS, failures, "each 409 counts as a failed authentication of the address");
    }

    @Test
    void signUpPageWhenLimitReachedThen429Page() {
        String address = ProxiedClients.newAddress();
        for (int i = 0; i <= ATTEMPTS; i++) {
            Visitor visitor = Pages.visit("/users/sign_up");
            Response page = visitor.request().header("X-Forwarded-For", address)
                    .formParam("_csrf", visitor.csrf())
                    .formParam("email", uniqueEmail())
                    .formParam("password", PASSWORD)
                    .formParam("password_confirmation", PASSWORD)
                    .post("/users/sign_up");
            if (i < SIGN_UPS) {
                page.then().statusCode(303);
            } else {
                page.then().statusCode(429).contentType(containsString("text/html"))
                        .header("Retry-After", notNullValue())
                        .body(containsString("Too many sign-ups from this address"));
            }
        }
    }
}
