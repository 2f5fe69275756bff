package io.storeman.support;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;
import java.util.Map;
import java.util.UUID;

/**
 * Test data made through the public API, so that each test owns its data: unique users, their applications and
 * their tokens. Nothing here is shared between tests.
 */
public final class Fixtures {

    public static final String PASSWORD = "correct horse battery staple";
    public static final String ALL_SCOPES = "public read_items write_items read_spaces write_spaces";

    private Fixtures() {
    }

    public record Account(long id, String email, String password) {
    }

    public record App(long id, String clientId, String clientSecret, String scopes) {
    }

    public record Tokens(String accessToken, String refreshToken, String scope) {
    }

    /** A new user with a unique e-mail and {@link #PASSWORD}. */
    public static Account newUser() {
        return newUser(PASSWORD);
    }

    /** A new user with a unique e-mail and the given password. */
    public static Account newUser(String password) {
        String email = "user-" + UUID.randomUUID() + "@example.com";
        long id = given().contentType(ContentType.JSON)
                .body(Map.of("email", email, "password", password))
                .post("/api/v1/users")
                .then().statusCode(201)
                .extract().jsonPath().getLong("id");
        return new Account(id, email, password);
    }

    /** A confidential application of {@code owner} registered for {@code scopes}. */
    public static App newApp(Account owner, String scopes) {
        return createApp(owner, Map.of("name", "Test app", "scopes", scopes));
    }

    /** A public (non-confidential) application: it has no secret. */
    public static App newPublicApp(Account owner, String scopes) {
        return createApp(owner, Map.of("name", "Public test app", "scopes", scopes, "confidential", false,
                "redirect_uri", "http://localhost:9999/callback"));
    }

    private static App createApp(Account owner, Map<String, Object> body) {
        JsonPath json = given().auth().preemptive().basic(owner.email(), owner.password())
                .contentType(ContentType.JSON)
                .body(body)
                .post("/api/v1/oauth/applications")
                .then().statusCode(201)
                .extract().jsonPath();
        return new App(json.getLong("id"), json.getString("client_id"), json.getString("client_secret"),
                json.getString("scopes"));
    }

    /** Tokens from the password grant for {@code user} through {@code app}, or the test fails. */
    public static Tokens passwordTokens(App app, Account user, String scope) {
        JsonPath json = passwordGrant(app, user, scope).statusCode(200).extract().jsonPath();
        return new Tokens(json.getString("access_token"), json.getString("refresh_token"), json.getString("scope"));
    }

    /** The answer to the password grant for {@code user} through {@code app} ({@code scope} null: the default). */
    public static ValidatableResponse passwordGrant(App app, Account user, String scope) {
        var request = given().formParam("grant_type", "password")
                .formParam("username", user.email())
                .formParam("password", user.password())
                .formParam("client_id", app.clientId())
                .formParam("client_secret", app.clientSecret());
        if (scope != null) {
            request.formParam("scope", scope);
        }
        return request.post("/oauth/token").then();
    }

    /** The answer to a refresh of {@code refreshToken} by {@code app} ({@code scope} null: the granted one). */
    public static ValidatableResponse refresh(App app, String refreshToken, String scope) {
        var request = given().formParam("grant_type", "refresh_token")
                .formParam("refresh_token", refreshToken)
                .formParam("client_id", app.clientId())
                .formParam("client_secret", app.clientSecret());
        if (scope != null) {
            request.formParam("scope", scope);
        }
        return request.post("/oauth/token").then();
    }

    /** An access token from the client credentials grant of {@code app} ({@code scope} null: the default). */
    public static String clientCredentialsToken(App app, String scope) {
        var request = given().formParam("grant_type", "client_credentials")
                .formParam("client_id", app.clientId())
                .formParam("client_secret", app.clientSecret());
        if (scope != null) {
            request.formParam("scope", scope);
        }
        return request.post("/oauth/token").then().statusCode(200).extract().path("access_token");
    }

    /** The answer of {@code GET /api/v1/me} to {@code accessToken}. */
    public static ValidatableResponse me(String accessToken) {
        return given().auth().oauth2(accessToken).get("/api/v1/me").then();
    }

    /** A user with an application of their own holding every scope, and tokens for all of them. */
    public static Tokens userWithAllScopes() {
        Account user = newUser();
        return passwordTokens(newApp(user, ALL_SCOPES), user, ALL_SCOPES);
    }
}
