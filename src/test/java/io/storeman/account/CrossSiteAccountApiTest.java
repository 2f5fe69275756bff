package io.storeman.account;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWithIgnoringCase;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import io.storeman.support.Fixtures;
import io.storeman.support.Fixtures.Account;
import io.storeman.support.Fixtures.App;
import io.storeman.support.Pages;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue 16: a browser that cached the account's Basic credentials sends them with a form or a script of another
 * site. Such a request must change nothing: the account API never makes a browser prompt for Basic credentials,
 * takes writes only as JSON (which no cross-site form can send without a preflight) and refuses foreign origins.
 * Clients that are not browsers (curl, scripts) keep working.
 */
@QuarkusTest
class CrossSiteAccountApiTest {

    private static final String EVIL = "https://evil.example";

    @Inject
    Pool pool;

    private static RequestSpecification as(Account account) {
        return given().auth().preemptive().basic(account.email(), account.password());
    }

    private static String secretPath(App app) {
        return "/api/v1/oauth/applications/" + app.id() + "/secret";
    }

    private static void problem(ValidatableResponse response, int status) {
        response.statusCode(status).contentType("application/problem+json").body("status", equalTo(status));
    }

    /** Posts {@code request} to the application's secret: refused with {@code status}, the secret kept. */
    private void refusedAndSecretKept(App app, RequestSpecification request, int status) {
        String before = secretHash(app);
        problem(request.post(secretPath(app)).then(), status);
        assertEquals(before, secretHash(app));
    }

    private String secretHash(App app) {
        return pool.preparedQuery("select string_agg(secret_hash, ',' order by id) from client_secrets"
                        + " where application_id = $1")
                .execute(Tuple.of(app.id()))
                .map(rows -> rows.iterator().next().getString(0))
                .await().atMost(Duration.ofSeconds(10));
    }

    private long applicationCount(Account owner) {
        return pool.preparedQuery("select count(*) from oauth_applications where owner_id = $1")
                .execute(Tuple.of(owner.id()))
                .map(rows -> rows.iterator().next().getLong(0))
                .await().atMost(Duration.ofSeconds(10));
    }

    @Test
    void regenerateSecretWhenTextPlainWithBasicFromAnotherOriginThen403AndSecretUnchanged() {
        Account owner = Fixtures.newUser();
        refusedAndSecretKept(Fixtures.newApp(owner, "public"),
                as(owner).header("Origin", EVIL).contentType("text/plain").body("x=y"), 403);
    }

    @Test
    void regenerateSecretWhenTextPlainWithBasicAndNoOriginThen415AndSecretUnchanged() {
        Account owner = Fixtures.newUser();
        refusedAndSecretKept(Fixtures.newApp(owner, "public"),
                as(owner).contentType("text/plain").body("x=y"), 415);
    }

    @Test
    void regenerateSecretWhenFormEncodedWithBasicThen415AndSecretUnchanged() {
        Account owner = Fixtures.newUser();
        refusedAndSecretKept(Fixtures.newApp(owner, "public"),
                as(owner).contentType("application/x-www-form-urlencoded").body("x=y"), 415);
    }

    @Test
    void regenerateSecretWhenNoContentTypeAndNoBodyThen415AndSecretUnchanged() {
        // What fetch(url, {method: "POST", mode: "no-cors", credentials: "include"}) sends: no preflight either.
        Account owner = Fixtures.newUser();
        refusedAndSecretKept(Fixtures.newApp(owner, "public"), as(owner), 415);
    }

    @Test
    void regenerateSecretWhenJsonWithBasicAsCurlSendsItThenNewSecret() {
        Account owner = Fixtures.newUser();
        App app = Fixtures.newApp(owner, "public");
        String before = secretHash(app);
        as(owner).contentType(ContentType.JSON).post(secretPath(app))
                .then().statusCode(200).body("client_secret", notNullValue());
        assertNotEquals(before, secretHash(app));
    }

    @Test
    void regenerateSecretWhenOriginIsTheServersOwnThenNewSecret() {
        Account owner = Fixtures.newUser();
        App app = Fixtures.newApp(owner, "public");
        as(owner).header("Origin", "http://localhost:" + RestAssured.port).contentType(ContentType.JSON)
                .post(secretPath(app)).then().statusCode(200);
        as(owner).header("Origin", "http://storeman.test").contentType(ContentType.JSON)
                .post(secretPath(app)).then().statusCode(200);
    }

    @Test
    void createWhenFormEncodedWithBasicThen415AndNothingCreated() {
        Account owner = Fixtures.newUser();
        problem(as(owner).contentType("application/x-www-form-urlencoded").body("name=Forged&scopes=public")
                .post("/api/v1/oauth/applications").then(), 415);
        assertEquals(0, applicationCount(owner));
    }

    @Test
    void createWhenJsonFromAnotherOriginThen403AndNothingCreated() {
        Account owner = Fixtures.newUser();
        problem(as(owner).header("Origin", EVIL).contentType(ContentType.JSON)
                .body(Map.of("name", "Forged", "scopes", "public")).post("/api/v1/oauth/applications").then(), 403);
        assertEquals(0, applicationCount(owner));
    }

    @Test
    void deleteWhenOriginNullThen403AndApplicationKept() {
        // Sandboxed frames and some redirects send "Origin: null".
        Account owner = Fixtures.newUser();
        App app = Fixtures.newApp(owner, "public");
        problem(as(owner).header("Origin", "null").delete("/api/v1/oauth/applications/" + app.id()).then(), 403);
        assertEquals(1, applicationCount(owner));
    }

    @Test
    void deleteWhenTextPlainBodyThen415AndApplicationKept() {
        Account owner = Fixtures.newUser();
        App app = Fixtures.newApp(owner, "public");
        problem(as(owner).contentType("text/plain").body("x").delete("/api/v1/oauth/applications/" + app.id())
                .then(), 415);
        as(owner).delete("/api/v1/oauth/applications/" + app.id()).then().statusCode(204);
    }

    @Test
    void revokeAuthorizationWhenAnotherOriginThen403AndTokensKept() {
        Account user = Fixtures.newUser();
        App app = Fixtures.newApp(user, "public");
        Fixtures.Tokens tokens = Fixtures.passwordTokens(app, user, null);
        problem(as(user).header("Origin", EVIL).delete("/api/v1/authorized_applications/" + app.clientId())
                .then(), 403);
        given().auth().oauth2(tokens.accessToken()).get("/api/v1/me").then().statusCode(200);
    }

    @Test
    void changePasswordWhenAnotherOriginThen403AndPasswordKept() {
        Account user = Fixtures.newUser();
        problem(as(user).header("Origin", EVIL).contentType(ContentType.JSON)
                .body(Map.of("current_password", user.password(), "new_password", "a brand new password"))
                .put("/api/v1/me/password").then(), 403);
        as(user).get("/api/v1/oauth/applications").then().statusCode(200);
    }

    @Test
    void sessionCookieWhenAnotherOriginThen403EvenWithTheCsrfToken() {
        Account owner = Fixtures.newUser();
        Pages.Browser browser = Pages.signIn(owner);
        refusedAndSecretKept(Fixtures.newApp(owner, "public"), browser.request().header("Origin", EVIL)
                .header("X-CSRF-Token", browser.csrf()).contentType(ContentType.JSON), 403);
    }

    @Test
    void sessionCookieWhenCsrfTokenAndJsonThenNewSecret() {
        Account owner = Fixtures.newUser();
        App app = Fixtures.newApp(owner, "public");
        Pages.Browser browser = Pages.signIn(owner);
        browser.request().header("X-CSRF-Token", browser.csrf()).contentType(ContentType.JSON)
                .post(secretPath(app)).then().statusCode(200).body("client_secret", notNullValue());
    }

    @Test
    void unauthenticatedThen401WithoutAChallengeBrowsersPromptFor() {
        Account user = Fixtures.newUser();
        for (RequestSpecification request : new RequestSpecification[] {given(),
                given().auth().preemptive().basic(user.email(), "not the password"),
                given().cookie(Pages.SESSION_COOKIE, "no-such-session")}) {
            problem(request.get("/api/v1/oauth/applications").then()
                    .header("WWW-Authenticate", notNullValue())
                    .header("WWW-Authenticate", not(startsWithIgnoringCase("Basic"))), 401);
        }
    }
}
