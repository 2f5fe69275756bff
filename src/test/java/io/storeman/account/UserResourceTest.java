package io.storeman.account;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.storeman.oauth.Scopes;
import io.storeman.oauth.token.AccessTokenIssuer;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

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
    void registerWhenEmailCraftedToBacktrackThen400InLinearTime() {
        // A backtracking pattern took 11 s for 40,000 characters, four times as long for each doubling.
        String email = "a@" + ".".repeat(100_000) + "@";
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> given().contentType(ContentType.JSON)
                .body(Map.of("email", email, "password", "long enough password"))
                .post("/api/v1/users")
                .then().statusCode(400)
                .body("errors.email", equalTo("must be at most 254 characters long")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"nul\\u0000byte@example.com", "lone\\udc00surrogate@example.com",
        "bell\\u0007@example.com", "two@at@example.com", "no-dot@example", "space in@example.com",
        "nbsp\\u00a0in@example.com"})
    void registerWhenEmailIsNotAnAddressThen400AndNoAccount(String escaped) {
        given().contentType(ContentType.JSON)
                .body("{\"email\": \"" + escaped + "\", \"password\": \"long enough password\"}")
                .post("/api/v1/users")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("errors.email", equalTo("must be an e-mail address"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"zero\\u200bwidth@example.com", "bidi@\\u202eexample.com",
        "\\u2066isolated@example.com\\u2069", "bom\\ufeff@example.com", "soft\\u00adhyphen@example.com",
        "hangul\\u3164filler@example.com"})
    void registerWhenEmailHoldsInvisibleCharacterThen400AndNoAccount(String escaped) {
        given().contentType(ContentType.JSON)
                .body("{\"email\": \"" + escaped + "\", \"password\": \"long enough password\"}")
                .post("/api/v1/users")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("errors.email", equalTo("must be an e-mail address"));
    }

    @Test
    void registerWhenLookAlikeOfATakenEmailThen409AndTheStoredFormIsNormalized() {
        String local = "look-" + UUID.randomUUID();
        given().contentType(ContentType.JSON)
                .body(Map.of("email", "\u00a0" + fullwidth(local) + "@Example.com\u3000", "password",
                        "long enough password"))
                .post("/api/v1/users")
                .then().statusCode(201)
                .body("email", equalTo(local + "@example.com"));
        for (String lookAlike : new String[] {local + "@example.com", fullwidth(local + "@example.com"),
            "\u202f" + local.toUpperCase() + "@example.com\u2007"}) {
            given().contentType(ContentType.JSON)
                    .body(Map.of("email", lookAlike, "password", "another long password"))
                    .post("/api/v1/users")
                    .then().statusCode(409);
        }
    }

    /** The text in fullwidth forms (U+FF01 to U+FF5E), which NFKC maps back to ASCII. */
    static String fullwidth(String ascii) {
        return ascii.chars().mapToObj(c -> Character.toString(c + 0xFEE0)).reduce("", String::concat);
    }

    @Test
    void registerWhenEmailGrowsPast254WhenLowerCasedThen400() {
        // U+0130 lower-cases to two characters: 130 of them make 260, longer than the column.
        String email = "\u0130".repeat(130) + "@x.io";
        given().contentType(ContentType.JSON).body(Map.of("email", email, "password", "long enough password"))
                .post("/api/v1/users")
                .then().statusCode(400)
                .body("errors.email", equalTo("must be at most 254 characters long"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"long enough\\u0000password", "long enough\\tpassword", "long enough \\ud800password"})
    void registerWhenPasswordHoldsControlOrBrokenCharacterThen400(String escaped) {
        given().contentType(ContentType.JSON)
                .body("{\"email\": \"" + uniqueEmail() + "\", \"password\": \"" + escaped + "\"}")
                .post("/api/v1/users")
                .then().statusCode(400)
                .body("errors.password", equalTo("must not contain control or invalid characters"));
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
