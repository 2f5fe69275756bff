package io.storeman.security;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

@QuarkusTest
class SecurityHeadersTest {

    @Test
    void anyResponseThenSecurityHeadersAndRequestId() {
        for (String path : new String[] {"/.well-known/jwks.json", "/api/v1/me", "/no/such/path", "/q/health/live"}) {
            given().get(path).then()
                    .header("X-Content-Type-Options", "nosniff")
                    .header("X-Frame-Options", "SAMEORIGIN")
                    .header("Referrer-Policy", "strict-origin-when-cross-origin")
                    .header("X-Request-Id", matchesPattern("[0-9a-f-]{36}"));
        }
    }

    @Test
    void requestIdWhenSentThenEchoed() {
        given().header("X-Request-Id", "abc-123").get("/.well-known/jwks.json")
                .then().header("X-Request-Id", "abc-123");
    }

    @Test
    void requestIdWhenHostileThenReplaced() {
        given().header("X-Request-Id", "a\"b<script>").get("/.well-known/jwks.json")
                .then().header("X-Request-Id", not(equalTo("a\"b<script>")));
    }
}
