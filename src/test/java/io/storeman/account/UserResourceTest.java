package io.storeman.account;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.storeman.oauth.Scopes;
import io.storeman.oauth.token.AccessTokenIssuer;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
class UserResourceTest {

    @Inject
    AccessTokenIssuer accessTokens;

    private static String uniqueEmail() {
        return "new-" + UUID.randomUUID() + "@example.com";
    }

    @Test
    void registerWhenValidThen201WithProfileAndNoPassword() {
        String email = uniqueEmail();
        given().contentType(ContentType.JSON)
                .body(Map.of("email", email, "password", "long enough password"))
                .post("/api/v1/users")
                .then().statusCode(201)
                .header("Location", notNullValue())
                .body("id", notNullValue())
                .body("email", equalTo(email))
                .body("created_at", notNullValue())
                .body("password", equalTo(null))
                .body("password_hash", equalTo(null));
    }

    @Test
    void registerWhenEmailTakenInAnyCaseThen409() {
        String email = uniqueEmail();
        given().contentType(ContentType.JSON).body(Map.of("email", email, "password", "long enough password"))
                .post("/api/v1/users").then().statusCode(201);
        given().contentType(ContentType.JSON)
                .body(Map.of("email", email.toUpperCase(), "password", "another long password"))
                .post("/api/v1/users")
                .then().statusCode(409)
                .contentType("application/problem+json")
                .body("status", equalTo(409));
    }

    @Test
    void registerWhenBadEmailThen400Problem() {
        given().contentType(ContentType.JSON).body(Map.of("email", "not-an-email", "password", "long enough password"))
                .post("/api/v1/users")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("errors.email", notNullValue());
    }

    @Test
    void registerWhenPasswordShortThen400Problem() {
        given().contentType(ContentType.JSON).body(Map.of("email", uniqueEmail(), "password", "short"))
                .post("/api/v1/users")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("errors.password", notNullValue());
    }

    @Test
    void registerWhenMalformedJsonThen400ProblemWithoutInternals() {
        given().contentType(ContentType.JSON).body("{\"email\": ")
                .post("/api/v1/users")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body(not(org.hamcrest.Matchers.containsString("Exception")));
    }

    @Test
    void registerWhenNoBodyThen400() {
        given().contentType(ContentType.JSON)
                .post("/api/v1/users")
                .then().statusCode(400);
    }

    @Test
    void meWhenTheTokensUserNoLongerExistsThen404Problem() {
        String token = accessTokens.sign(UUID.randomUUID().toString(), "987654321012", "no-such-client",
                Scopes.DEFAULT, System.currentTimeMillis() / 1000, null, 0);
        given().auth().oauth2(token)
                .get("/api/v1/me")
                .then().statusCode(404)
                .contentType("application/problem+json")
                .body("status", equalTo(404));
    }
}
