package io.storeman.application;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import io.storeman.common.Secrets;
import io.storeman.support.Fixtures;
import io.storeman.support.Fixtures.Account;
import io.storeman.support.Fixtures.App;
import io.storeman.support.OAuthAnswers;
import io.storeman.support.Pages;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.util.List;
import java.util.Set;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * Several secrets per application (docs/security.md D10): {@code POST|GET /api/v1/oauth/applications/{id}/secrets},
 * {@code DELETE .../secrets/{secretId}}, beside the contract's {@code POST .../secret}, which still replaces them all.
 */
@QuarkusTest
class ApplicationSecretsApiTest {

    @ConfigProperty(name = "quarkus.datasource.jdbc.url")
    String jdbcUrl;

    private static RequestSpecification as(Account account) {
        return given().auth().preemptive().basic(account.email(), account.password());
    }

    private static String secrets(App app) {
        return "/api/v1/oauth/applications/" + app.id() + "/secrets";
    }

    private static ValidatableResponse add(Account owner, App app) {
        return as(owner).contentType(ContentType.JSON).post(secrets(app)).then();
    }

    private static String added(Account owner, App app) {
        return add(owner, app).statusCode(201).extract().path("client_secret");
    }

    private static JsonPath list(Account owner, App app) {
        return as(owner).get(secrets(app)).then().statusCode(200).extract().jsonPath();
    }

    private static void problem(ValidatableResponse response, int status) {
        response.statusCode(status).contentType("application/problem+json").body("status", equalTo(status));
    }

    private static ValidatableResponse clientCredentials(String clientId, String secret) {
        return given().formParam("grant_type", "client_credentials").formParam("client_id", clientId)
                .formParam("client_secret", secret).post("/oauth/token").then();
    }

    private static ValidatableResponse clientCredentialsBasic(String clientId, String secret) {
        return given().auth().preemptive().basic(clientId, secret).formParam("grant_type", "client_credentials")
                .post("/oauth/token").then();
    }

    @Test
    void addWhenConfidentialThen201WithTheValueOnceItsIdAndCreatedAt() {
        Account owner = Fixtures.newUser();
        App app = Fixtures.newApp(owner, "public");
        JsonPath created = add(owner, app).statusCode(201)
                .header("Cache-Control", "no-store")
                .header("Location", containsString(secrets(app) + "/"))
                .body("id", notNullValue())
                .body("client_secret", notNullValue())
                .body("created_at", notNullValue())
                .body("last_used_at", nullValue())
                .extract().jsonPath();
        assertEquals(43, created.getString("client_secret").length());
        as(owner).get(secrets(app) + "/" + created.getLong("id")).then().statusCode(200)
                .body("id", equalTo(created.getInt("id")))
                .body("$", not(hasKey("client_secret")));
    }

    @Test
    void twoSecretsWhenEitherIsPresentedThenBothGetTokensSideBySide() {
        Account owner = Fixtures.newUser();
        App app = Fixtures.newApp(owner, "public");
        String second = added(owner, app);
        clientCredentials(app.clientId(), app.clientSecret()).statusCode(200);
        clientCredentials(app.clientId(), second).statusCode(200);
        clientCredentialsBasic(app.clientId(), app.clientSecret()).statusCode(200);
        clientCredentialsBasic(app.clientId(), second).statusCode(200);
        clientCredentials(app.clientId(), second.substring(1) + "x").spec(OAuthAnswers.error(401, "invalid_client"));
    }

    @Test
    void deleteWhenOneOfTwoThen204ItIsRefusedAtOnceAndTheOtherWorks() {
        Account owner = Fixtures.newUser();
        App app = Fixtures.newApp(owner, "public");
        String second = added(owner, app);
        // Both authenticate first, so both are in this instance's client cache when one is deleted.
        clientCredentials(app.clientId(), app.clientSecret()).statusCode(200);
        clientCredentials(app.clientId(), second).statusCode(200);
        long firstId = list(owner, app).getLong("[0].id");

        as(owner).delete(secrets(app) + "/" + firstId).then().statusCode(204);

        clientCredentials(app.clientId(), app.clientSecret()).statusCode(401).body("error", equalTo("invalid_client"));
        clientCredentialsBasic(app.clientId(), app.clientSecret()).statusCode(401)
                .header("WWW-Authenticate", containsString("Basic"));
        clientCredentials(app.clientId(), second).statusCode(200);
        assertEquals(1, list(owner, app).getList("$").size());
        problem(as(owner).delete(secrets(app) + "/" + firstId).then(), 404);
    }

    @Test
    void listWhenSecretsThenIdsAndTimesOldestFirstAndNeverAValue() {
        Account owner = Fixtures.newUser();
        App app = Fixtures.newApp(owner, "public");
        String second = added(owner, app);
        String body = as(owner).get(secrets(app)).then().statusCode(200)
                .body("size()", equalTo(2))
                .extract().asString();
        JsonPath json = JsonPath.from(body);
        for (int i = 0; i < 2; i++) {
            assertEquals(Set.of("id", "created_at", "last_used_at"), json.getMap("[" + i + "]").keySet());
        }
        assertEquals(true, json.getLong("[0].id") < json.getLong("[1].id"));
        for (String value : List.of(app.clientSecret(), second, Secrets.sha256(app.clientSecret()),
                Secrets.sha256(second))) {
            assertEquals(false, body.contains(value), "the list shows a secret or its hash");
        }
    }

    @Test
    void lastUsedWhenUsedThenRecordedAndNotRewrittenWithinTheMinute() throws Exception {
        Account owner = Fixtures.newUser();
        App app = Fixtures.newApp(owner, "public");
        clientCredentials(app.clientId(), app.clientSecret()).statusCode(200);
        String first = null;
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (first == null && System.nanoTime() < deadline) {
            first = list(owner, app).getString("[0].last_used_at");
            Thread.sleep(20);
        }
        assertNotNull(first, "the use is recorded");
        clientCredentials(app.clientId(), app.clientSecret()).statusCode(200);
        Thread.sleep(500);
        assertEquals(first, list(owner, app).getString("[0].last_used_at"), "a write per token request");
    }

    @Test
    void addWhenFiveAlreadyThen409AndNoSixth() {
        Account owner = Fixtures.newUser();
        App app = Fixtures.newApp(owner, "public");
        for (int i = 1; i < ApplicationSecrets.MAX_SECRETS; i++) {
            added(owner, app);
        }
        ValidatableResponse refused = add(owner, app);
        problem(refused, 409);
        refused.body("detail", containsString("at most 5 secrets"));
        assertEquals(5, list(owner, app).getList("$").size());
    }

    @Test
    void deleteWhenTheLastSecretThen409AndItKeepsWorking() {
        Account owner = Fixtures.newUser();
        App app = Fixtures.newApp(owner, "public");
        long id = list(owner, app).getLong("[0].id");
        ValidatableResponse refused = as(owner).delete(secrets(app) + "/" + id).then();
        problem(refused, 409);
        refused.body("detail", containsString("at least one secret"));
        clientCredentials(app.clientId(), app.clientSecret()).statusCode(200);
    }

    @Test
    void addWhenPublicApplicationThen409AndItsListIsEmpty() {
        Account owner = Fixtures.newUser();
        App app = Fixtures.newPublicApp(owner, "public");
        ValidatableResponse refused = add(owner, app);
        problem(refused, 409);
        refused.body("detail", equalTo("A public application has no secret."));
        as(owner).get(secrets(app)).then().statusCode(200).body("size()", equalTo(0));
    }

    @Test
    void regenerateWhenSeveralSecretsThenOneNewSecretReplacesThemAll() {
        Account owner = Fixtures.newUser();
        App app = Fixtures.newApp(owner, "public");
        String second = added(owner, app);
        String replacement = as(owner).contentType(ContentType.JSON)
                .post("/api/v1/oauth/applications/" + app.id() + "/secret")
                .then().statusCode(200)
                .header("Cache-Control", "no-store")
                .body("id", equalTo((int) app.id()))
                .body("client_id", equalTo(app.clientId()))
                .extract().path("client_secret");
        clientCredentials(app.clientId(), app.clientSecret()).statusCode(401).body("error", equalTo("invalid_client"));
        clientCredentials(app.clientId(), second).statusCode(401).body("error", equalTo("invalid_client"));
        clientCredentials(app.clientId(), replacement).statusCode(200);
        assertEquals(1, list(owner, app).getList("$").size());
    }

    @Test
    void anotherUsersApplicationThen404AndItsSecretsUnchanged() {
        Account owner = Fixtures.newUser();
        App app = Fixtures.newApp(owner, "public");
        long id = list(owner, app).getLong("[0].id");
        Account stranger = Fixtures.newUser();
        problem(as(stranger).get(secrets(app)).then(), 404);
        problem(as(stranger).get(secrets(app) + "/" + id).then(), 404);
        problem(add(stranger, app), 404);
        added(owner, app);
        problem(as(stranger).delete(secrets(app) + "/" + id).then(), 404);
        assertEquals(2, list(owner, app).getList("$").size());
    }

    @Test
    void unknownSecretOrOneOfAnotherApplicationThen404() {
        Account owner = Fixtures.newUser();
        App app = Fixtures.newApp(owner, "public");
        App other = Fixtures.newApp(owner, "public");
        added(owner, other);
        long otherId = list(owner, other).getLong("[0].id");
        added(owner, app);
        problem(as(owner).get(secrets(app) + "/" + otherId).then(), 404);
        problem(as(owner).delete(secrets(app) + "/" + otherId).then(), 404);
        problem(as(owner).delete(secrets(app) + "/999999999").then(), 404);
        problem(as(owner).get(secrets(app) + "/not-a-number").then(), 404);
        assertEquals(2, list(owner, other).getList("$").size());
    }

    @Test
    void noCredentialsThen401WithoutAPromptingChallenge() {
        App app = Fixtures.newApp(Fixtures.newUser(), "public");
        given().get(secrets(app)).then().statusCode(401)
                .header("WWW-Authenticate", equalTo("Storeman-Basic realm=\"oauth\""))
                .contentType("application/problem+json");
        problem(given().contentType(ContentType.JSON).post(secrets(app)).then(), 401);
        problem(given().delete(secrets(app) + "/1").then(), 401);
    }

    @Test
    void crossSiteWritesThenRefusedBeforeAuthenticationAndNothingChanged() {
        Account owner = Fixtures.newUser();
        App app = Fixtures.newApp(owner, "public");
        String second = added(owner, app);
        long id = list(owner, app).getLong("[0].id");
        problem(as(owner).contentType("text/plain").body("x").post(secrets(app)).then(), 415);
        problem(as(owner).post(secrets(app)).then(), 415);
        problem(as(owner).contentType("application/x-www-form-urlencoded").body("x=y").post(secrets(app)).then(),
                415);
        problem(as(owner).header("Origin", "https://evil.example").contentType(ContentType.JSON).post(secrets(app))
                .then(), 403);
        problem(as(owner).header("Origin", "https://evil.example").delete(secrets(app) + "/" + id).then(), 403);
        problem(as(owner).contentType("text/plain").body("x").delete(secrets(app) + "/" + id).then(), 415);
        Pages.Browser browser = Pages.signIn(owner);
        problem(browser.request().contentType(ContentType.JSON).post(secrets(app)).then(), 403);
        problem(browser.request().delete(secrets(app) + "/" + id).then(), 403);
        assertEquals(2, list(owner, app).getList("$").size());
        clientCredentials(app.clientId(), app.clientSecret()).statusCode(200);
        clientCredentials(app.clientId(), second).statusCode(200);
    }

    @Test
    void sessionCookieWithCsrfHeaderThenAddedAndDeleted() {
        Account owner = Fixtures.newUser();
        App app = Fixtures.newApp(owner, "public");
        Pages.Browser browser = Pages.signIn(owner);
        long id = browser.request().header("X-CSRF-Token", browser.csrf()).contentType(ContentType.JSON)
                .post(secrets(app)).then().statusCode(201).extract().jsonPath().getLong("id");
        browser.request().header("X-CSRF-Token", browser.csrf()).delete(secrets(app) + "/" + id)
                .then().statusCode(204);
    }

    @Test
    void legacyWriterWhenItStoresASecretTheOldWayThenThatSecretWorks() throws Exception {
        // What an instance of the previous version does during a rolling upgrade (V11__client_secrets.sql): it
        // writes only oauth_applications.secret_hash, and the client must authenticate on this version too.
        Account owner = Fixtures.newUser();
        String clientId = Secrets.newToken();
        String secret = Secrets.newToken();
        try (Connection db = DriverManager.getConnection(jdbcUrl, "postgres", null);
                PreparedStatement insert = db.prepareStatement("insert into oauth_applications (owner_id, name,"
                        + " client_id, secret_hash, scopes, confidential)"
                        + " values (?, 'Old way', ?, ?, 'public', true)")) {
            insert.setLong(1, owner.id());
            insert.setString(2, clientId);
            insert.setString(3, Secrets.sha256(secret));
            assertEquals(1, insert.executeUpdate());
        }
        clientCredentials(clientId, secret).statusCode(200);
        JsonPath apps = as(owner).get("/api/v1/oauth/applications").then().statusCode(200).extract().jsonPath();
        long id = apps.getLong("[0].id");
        as(owner).get("/api/v1/oauth/applications/" + id + "/secrets").then().statusCode(200)
                .body("size()", equalTo(1));
    }
}
