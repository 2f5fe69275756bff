package io.storeman.packaged;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;

import io.quarkus.test.junit.QuarkusIntegrationTest;
import org.junit.jupiter.api.Test;

/** Health, the JWKS, the server metadata and the common headers of the packaged application. */
@QuarkusIntegrationTest
class OperationsIT {

    @Test
    void healthWhenUpThenLiveReadyAndStartedAnswerUp() {
        given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
        given().get("/q/health/started").then().statusCode(200).body("status", equalTo("UP"));
    }

    @Test
    void jwksWhenFetchedThenPublicKeysWithKidAndAlgAndNoPrivatePart() {
        given().get("/.well-known/jwks.json").then().statusCode(200)
                .header("Cache-Control", containsString("max-age"))
                .body("keys", not(empty()))
                .body("keys.kid", everyItem(notNullValue()))
                .body("keys.alg", hasItem("ES256"))
                .body("keys.d", everyItem(equalTo(null)));
    }

    @Test
    void metadataWhenFetchedThenIssuerAndEndpoints() {
        given().get("/.well-known/oauth-authorization-server").then().statusCode(200)
                .body("issuer", equalTo("http://storeman.test"))
                .body("token_endpoint", equalTo("http://storeman.test/oauth/token"))
                .body("jwks_uri", equalTo("http://storeman.test/.well-known/jwks.json"))
                .body("code_challenge_methods_supported", equalTo(java.util.List.of("S256")));
    }

    @Test
    void anyResponseWhenServedThenCarriesTheCommonHeaders() {
        given().header("X-Request-Id", "packaged-42").get("/q/health/live").then()
                .header("X-Request-Id", "packaged-42")
                .header("X-Content-Type-Options", "nosniff")
                .header("X-Frame-Options", "SAMEORIGIN")
                .header("Referrer-Policy", "strict-origin-when-cross-origin");
    }

    @Test
    void openApiAndMetricsWhenFetchedThenServed() {
        given().get("/q/openapi").then().statusCode(200).body(containsString("/oauth/token"));
        given().get("/q/metrics").then().statusCode(200).body(containsString("http_server_requests"));
    }
}
