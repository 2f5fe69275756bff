package io.storeman.account;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.storeman.oauth.OAuthMetrics;
import io.storeman.support.Fixtures;
import io.storeman.support.Fixtures.Account;
import io.storeman.support.Fixtures.App;
import io.storeman.support.Pages;
import io.storeman.support.Pages.Visitor;
import io.storeman.support.StateSnapshot;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Credentials no account can have (an e-mail over 254 characters or with a NUL, a password over 1024) are refused at
 * every door, password grant, sign-in page, account API (HTTP Basic) and password change, with that door's 4xx, before
 * any Argon2 hash is computed or anything is written.
 */
@QuarkusTest
class CredentialBoundsTest {

    private static final String LONG_EMAIL = "a".repeat(300) + "@example.com";

    @Inject
    Pool pool;

    @Inject
    OAuthMetrics metrics;

    /** Sends a request and checks that it hashed nothing and changed no table. */
    private Response withoutHashOrWrite(Supplier<Response> send) {
        long hashes = metrics.passwordHashTimer().count();
        Map<String, Long> before = StateSnapshot.take(pool);
        Response response = send.get();
        assertEquals(hashes, metrics.passwordHashTimer().count(), "Argon2 hashes computed");
        assertEquals(before, StateSnapshot.take(pool));
        return response;
    }

    private static Response passwordGrant(App app, String username, String password) {
        return given().formParam("grant_type", "password").formParam("username", username)
                .formParam("password", password).formParam("client_id", app.clientId())
                .formParam("client_secret", app.clientSecret()).post("/oauth/token");
    }

    private static String basic(String email, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((email + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void passwordGrantWhenUsernameOver254ThenInvalidRequestWithoutHashOrWrite() {
        App app = Fixtures.newApp(Fixtures.newUser(), "public");
        withoutHashOrWrite(() -> passwordGrant(app, LONG_EMAIL, "some password")).then()
                .statusCode(400).body("error", equalTo("invalid_request"));
    }

    @Test
    void passwordGrantWhenUsernameIsNotAnEmailThenInvalidRequestWithoutHash() {
        App app = Fixtures.newApp(Fixtures.newUser(), "public");
        withoutHashOrWrite(() -> passwordGrant(app, "a@" + ".".repeat(200) + "@", "some password")).then()
                .statusCode(400).body("error", equalTo("invalid_request"));
    }

    @Test
    void passwordGrantWhenPasswordOver1024ThenInvalidRequestWithoutHash() {
        Account user = Fixtures.newUser();
        App app = Fixtures.newApp(user, "public");
        withoutHashOrWrite(() -> passwordGrant(app, user.email(), "p".repeat(1025))).then()
                .statusCode(400).body("error", equalTo("invalid_request"));
    }

    @Test
    void signInWhenEmailOver254Then400PageWithoutHashOrWrite() {
        Visitor visitor = Pages.visit("/users/sign_in");
        withoutHashOrWrite(() -> visitor.request().formParam("_csrf", visitor.csrf()).formParam("email", LONG_EMAIL)
                .formParam("password", "some password").post("/users/sign_in")).then()
                .statusCode(400).contentType(containsString("text/html"))
                .body(containsString("Invalid e-mail or password."));
    }

    @Test
    void signInWhenPasswordOver1024Then400PageWithoutHash() {
        Account user = Fixtures.newUser();
        Visitor visitor = Pages.visit("/users/sign_in");
        withoutHashOrWrite(() -> visitor.request().formParam("_csrf", visitor.csrf())
                .formParam("email", user.email()).formParam("password", "p".repeat(1025))
                .post("/users/sign_in")).then()
                .statusCode(400).body(containsString("Invalid e-mail or password."));
    }

    @Test
    void accountApiWhenBasicEmailHoldsNulThen401WithoutHashOrWrite() {
        Account user = Fixtures.newUser();
        String email = user.email().replace("@", "\u0000@");
        withoutHashOrWrite(() -> given().header("Authorization", basic(email, user.password()))
                .get("/api/v1/oauth/applications")).then()
                .statusCode(401).contentType("application/problem+json");
    }

    @Test
    void accountApiWhenBasicEmailOver254Then401WithoutHashOrWrite() {
        withoutHashOrWrite(() -> given().header("Authorization", basic(LONG_EMAIL, "some password"))
                .get("/api/v1/oauth/applications")).then()
                .statusCode(401).contentType("application/problem+json");
    }

    @Test
    void passwordChangeWhenCurrentPasswordOver1024Then400WithoutHash() {
        Account user = Fixtures.newUser();
        String basic = basic(user.email(), user.password());
        long hashes = metrics.passwordHashTimer().count();
        given().header("Authorization", basic).contentType(ContentType.JSON)
                .body(Map.of("current_password", "p".repeat(1025), "new_password", "another long password"))
                .put("/api/v1/me/password")
                .then().statusCode(400).body("errors.current_password", equalTo("is incorrect"));
        // The Basic credentials themselves are checked with one hash; the current password is not hashed.
        assertEquals(hashes + 1, metrics.passwordHashTimer().count());
    }
}
