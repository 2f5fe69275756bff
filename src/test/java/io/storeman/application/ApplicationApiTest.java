package io.storeman.application;

import static io.restassured.RestAssured.given;
import static io.storeman.support.Fixtures.me;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import io.storeman.support.Fixtures;
import io.storeman.support.Fixtures.Account;
import io.storeman.support.Fixtures.App;
import io.storeman.support.Fixtures.Tokens;
import io.storeman.support.Pages;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The contract's application management API: GET|PATCH|DELETE /api/v1/oauth/applications/{id}, secret renewal. */
@QuarkusTest
class ApplicationApiTest {

    private static RequestSpecification as(Account account) {
        return given().auth().preemptive().basic(account.email(), account.password());
    }

    private static ValidatableResponse create(Account owner, Map<String, Object> body) {
        return as(owner).contentType(ContentType.JSON).body(body).post("/api/v1/oauth/applications").then();
    }

    private static ValidatableResponse patch(Account owner, long id, Object body) {
        return as(owner).contentType(ContentType.JSON).body(body).patch("/api/v1/oauth/applications/" + id).then();
    }

    /** As curl sends it: {@code curl -u e-mail:password -H 'Content-Type: application/json' -X POST ...}. */
    private static Response regenerate(Account owner, App app) {
        return as(owner).contentType(ContentType.JSON).post("/api/v1/oauth/applications/" + app.id() + "/secret");
    }

    private static void problem(ValidatableResponse response, int status) {
        response.statusCode(status).contentType("application/problem+json").body("status", equalTo(status));
    }

    @Test
    void createWhenValidThen201WithSecretShownOnceAndNoStore() {
        Account owner = Fixtures.newUser();
        long id = create(owner, Map.of("name", "Inventory sync", "scopes", "public read_items",
                "redirect_uri", "https://sync.example.com/callback"))
                .statusCode(201)
                .header("Cache-Control", "no-store")
                .header("Location", notNullValue())
                .body("name", equalTo("Inventory sync"))
                .body("client_id", notNullValue())
                .body("client_secret", notNullValue())
                .body("scopes", equalTo("public read_items"))
                .body("redirect_uri", equalTo("https://sync.example.com/callback"))
                .body("confidential", equalTo(true))
                .body("created_at", notNullValue())
                .extract().jsonPath().getLong("id");
        as(owner).get("/api/v1/oauth/applications/" + id).then().statusCode(200)
                .body("$", not(hasKey("client_secret")));
    }

    @Test
    void createWhenNoCredentialsThen401WithAChallengeBrowsersDoNotPromptFor() {
        given().contentType(ContentType.JSON).body(Map.of("name", "x", "scopes", "public"))
                .post("/api/v1/oauth/applications")
                .then().statusCode(401)
                .header("WWW-Authenticate", equalTo("Storeman-Basic realm=\"oauth\""))
                .contentType("application/problem+json");
    }

    @Test
    void createWhenWrongPasswordThen401() {
        Account owner = Fixtures.newUser();
        given().auth().preemptive().basic(owner.email(), "not the password").contentType(ContentType.JSON)
                .body(Map.of("name", "x", "scopes", "public"))
                .post("/api/v1/oauth/applications")
                .then().statusCode(401);
    }

    @Test
    void createWhenNameBlankThen400NamingTheField() {
        ValidatableResponse response = create(Fixtures.newUser(), Map.of("name", "  ", "scopes", "public"));
        problem(response, 400);
        response.body("errors.name", notNullValue());
    }

    @Test
    void createWhenNameOver100CharactersThen400AndAt100Then201() {
        Account owner = Fixtures.newUser();
        problem(create(owner, Map.of("name", "n".repeat(101), "scopes", "public")).body("errors.name",
                notNullValue()), 400);
        create(owner, Map.of("name", "n".repeat(100), "scopes", "public")).statusCode(201);
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"name\": \"lone \\ud800 surrogate\", \"scopes\": \"public\"}",
        "{\"name\": \"next\\u0085line\", \"scopes\": \"public\"}",
        "{\"name\": \"x\", \"scopes\": \"public\", \"redirect_uri\": \"https://a.example/\\ud800\"}",
        "{\"name\": \"x\", \"scopes\": \"public\", \"redirect_uri\": \"https://a.example/\\u0000\"}"})
    void createWhenTextHoldsControlOrBrokenCharacterThen400AndNothingStored(String json) {
        Account owner = Fixtures.newUser();
        problem(as(owner).contentType(ContentType.JSON).body(json).post("/api/v1/oauth/applications").then(), 400);
        as(owner).get("/api/v1/oauth/applications").then().statusCode(200).body("size()", equalTo(0));
    }

    @ParameterizedTest
    @ValueSource(strings = {"\u202egnp.otohP", "Photo\u2066 Shelf\u2069", "Photo\u200e Shelf", "Photo\u200bShelf",
        "Photo\u00adShelf", "\u3164", "Photo Shelf\ufe0f", "Photo\u2028Shelf"})
    void createOrRenameWhenNameHoldsBidiOrInvisibleCharacterThen400AndNothingStored(String name) {
        Account owner = Fixtures.newUser();
        problem(create(owner, Map.of("name", name, "scopes", "public"))
                .body("errors.name", equalTo("must not contain control, invisible or invalid characters")), 400);
        as(owner).get("/api/v1/oauth/applications").then().statusCode(200).body("size()", equalTo(0));

        App app = Fixtures.newApp(owner, "public");
        problem(patch(owner, app.id(), Map.of("name", name))
                .body("errors.name", equalTo("must not contain control, invisible or invalid characters")), 400);
        as(owner).get("/api/v1/oauth/applications/" + app.id()).then().body("name", equalTo("Test app"));
    }

    @Test
    void createOrRenameWhenNameHasUnicodeSpacesOrCompatibilityFormsThenStoredNormalized() {
        Account owner = Fixtures.newUser();
        ValidatableResponse created = create(owner, Map.of("name", "\u00a0\uff30hoto\u3000Shelf\u202f",
                "scopes", "public")).statusCode(201).body("name", equalTo("Photo Shelf"));
        long id = created.extract().jsonPath().getLong("id");
        patch(owner, id, Map.of("name", "\ufb01le\u2007sync ")).statusCode(200).body("name", equalTo("file sync"));
        problem(patch(owner, id, Map.of("name", "\u00a0\u3000")).body("errors.name",
                equalTo("must not be blank")), 400);
    }

    @Test
    void listWhenBasicEmailHoldsNulThen401() {
        Account owner = Fixtures.newUser();
        String credentials = owner.email().replace("@", "\u0000@") + ":" + owner.password();
        given().header("Authorization", "Basic " + Base64.getEncoder()
                        .encodeToString(credentials.getBytes(StandardCharsets.UTF_8)))
                .get("/api/v1/oauth/applications")
                .then().statusCode(401).contentType("application/problem+json");
    }

    @Test
    void createWhenUnknownScopeThen400() {
        problem(create(Fixtures.newUser(), Map.of("name", "x", "scopes", "public admin"))
                .body("errors.scopes", notNullValue()), 400);
    }

    @Test
    void createWhenNoScopeThen400() {
        problem(create(Fixtures.newUser(), Map.of("name", "x", "scopes", " "))
                .body("errors.scopes", notNullValue()), 400);
        problem(create(Fixtures.newUser(), Map.of("name", "x")).body("errors.scopes", notNullValue()), 400);
    }

    @Test
    void createWhenScopeInWrongCaseThen400() {
        problem(create(Fixtures.newUser(), Map.of("name", "x", "scopes", "PUBLIC"))
                .body("errors.scopes", notNullValue()), 400);
    }

    @Test
    void createWhenRedirectUriPlainHttpElsewhereThen400() {
        problem(create(Fixtures.newUser(), Map.of("name", "x", "scopes", "public",
                "redirect_uri", "http://app.example.com/callback")).body("errors.redirect_uri", notNullValue()), 400);
    }

    @Test
    void createWhenRedirectUriRelativeOrWithFragmentThen400() {
        Account owner = Fixtures.newUser();
        problem(create(owner, Map.of("name", "x", "scopes", "public", "redirect_uri", "/callback"))
                .body("errors.redirect_uri", notNullValue()), 400);
        problem(create(owner, Map.of("name", "x", "scopes", "public", "redirect_uri", "https://a.example/cb#x"))
                .body("errors.redirect_uri", notNullValue()), 400);
        problem(create(owner, Map.of("name", "x", "scopes", "public", "redirect_uri", "javascript:alert(1)"))
                .body("errors.redirect_uri", notNullValue()), 400);
    }

    @Test
    void createWhenRedirectUriHttpLocalhostThen201() {
        create(Fixtures.newUser(), Map.of("name", "x", "scopes", "public",
                "redirect_uri", "http://localhost:3000/callback")).statusCode(201);
    }

    @Test
    void createWhenSeveralFieldsBadThenEveryFieldNamed() {
        problem(create(Fixtures.newUser(), Map.of("name", "", "scopes", "nope", "redirect_uri", "ftp://x.example"))
                .body("errors.name", notNullValue())
                .body("errors.scopes", notNullValue())
                .body("errors.redirect_uri", notNullValue()), 400);
    }

    @Test
    void getWhenOwnApplicationThen200WithoutSecret() {
        Account owner = Fixtures.newUser();
        App app = Fixtures.newApp(owner, "public read_items");
        as(owner).get("/api/v1/oauth/applications/" + app.id())
                .then().statusCode(200)
                .body("id", equalTo((int) app.id()))
                .body("client_id", equalTo(app.clientId()))
                .body("scopes", equalTo("public read_items"))
                .body("confidential", equalTo(true))
                .body("$", not(hasKey("client_secret")));
    }

    @Test
    void getWhenAnotherUsersApplicationThen404() {
        App theirs = Fixtures.newApp(Fixtures.newUser(), "public");
        problem(as(Fixtures.newUser()).get("/api/v1/oauth/applications/" + theirs.id()).then(), 404);
    }

    @Test
    void getWhenUnknownOrMalformedIdThen404() {
        Account owner = Fixtures.newUser();
        problem(as(owner).get("/api/v1/oauth/applications/999999999").then(), 404);
        as(owner).get("/api/v1/oauth/applications/not-a-number").then().statusCode(404);
    }

    @Test
    void getWhenNoCredentialsThen401() {
        App app = Fixtures.newApp(Fixtures.newUser(), "public");
        given().get("/api/v1/oauth/applications/" + app.id()).then().statusCode(401);
    }

    @Test
    void listWhenSeveralUsersThenOnlyOwnApplications() {
        Account owner = Fixtures.newUser();
        App mine = Fixtures.newApp(owner, "public");
        Fixtures.newApp(Fixtures.newUser(), "public");
        as(owner).get("/api/v1/oauth/applications").then().statusCode(200)
                .body("size()", equalTo(1))
                .body("[0].client_id", equalTo(mine.clientId()))
                .body("[0]", not(hasKey("client_secret")));
    }

    @Test
    void patchWhenNameScopesAndRedirectUriThenChanged() {
        Account owner = Fixtures.newUser();
        App app = Fixtures.newApp(owner, "public");
        patch(owner, app.id(), Map.of("name", "Renamed", "scopes", "public read_spaces",
                "redirect_uri", "https://renamed.example/cb"))
                .statusCode(200)
                .body("name", equalTo("Renamed"))
                .body("scopes", equalTo("public read_spaces"))
                .body("redirect_uri", equalTo("https://renamed.example/cb"))
                .body("client_id", equalTo(app.clientId()))
                .body("$", not(hasKey("client_secret")));
        as(owner).get("/api/v1/oauth/applications/" + app.id()).then().body("name", equalTo("Renamed"));
    }

    @Test
    void patchWhenOnlyNameThenOtherFieldsKept() {
        Account owner = Fixtures.newUser();
        App app = Fixtures.newApp(owner, "public write_items");
        patch(owner, app.id(), Map.of("name", "Only the name")).statusCode(200)
                .body("scopes", equalTo("public write_items"));
    }

    @Test
    void patchWhenRedirectUriNullThenRemoved() {
        Account owner = Fixtures.newUser();
        long id = create(owner, Map.of("name", "x", "scopes", "public", "redirect_uri", "https://a.example/cb"))
                .statusCode(201).extract().jsonPath().getLong("id");
        Map<String, Object> body = new HashMap<>();
        body.put("redirect_uri", null);
        patch(owner, id, body).statusCode(200).body("redirect_uri", nullValue());
    }

    @Test
    void patchWhenInvalidValuesThen400AndNothingChanged() {
        Account owner = Fixtures.newUser();
        App app = Fixtures.newApp(owner, "public");
        problem(patch(owner, app.id(), Map.of("name", "", "scopes", "everything", "redirect_uri", "http://x.example"))
                .body("errors.name", notNullValue())
                .body("errors.scopes", notNullValue())
                .body("errors.redirect_uri", notNullValue()), 400);
        as(owner).get("/api/v1/oauth/applications/" + app.id()).then().body("name", equalTo("Test app"))
                .body("scopes", equalTo("public"));
    }

    @Test
    void patchWhenWrongJsonTypesThen400() {
        Account owner = Fixtures.newUser();
        App app = Fixtures.newApp(owner, "public");
        problem(patch(owner, app.id(), Map.of("name", 42, "scopes", false, "confidential", "yes"))
                .body("errors.name", equalTo("must be a string"))
                .body("errors.scopes", equalTo("must be a string"))
                .body("errors.confidential", equalTo("must be true or false")), 400);
    }

    @Test
    void patchWhenConfidentialChangedThen400() {
        Account owner = Fixtures.newUser();
        App app = Fixtures.newApp(owner, "public");
        problem(patch(owner, app.id(), Map.of("confidential", false)).body("errors.confidential", notNullValue()),
                400);
        patch(owner, app.id(), Map.of("confidential", true)).statusCode(200);
    }

    @Test
    void patchWhenAnotherUsersApplicationThen404AndUnchanged() {
        Account owner = Fixtures.newUser();
        App app = Fixtures.newApp(owner, "public");
        problem(patch(Fixtures.newUser(), app.id(), Map.of("name", "Stolen")), 404);
        as(owner).get("/api/v1/oauth/applications/" + app.id()).then().body("name", equalTo("Test app"));
    }

    @Test
    void patchWhenMalformedJsonThen400() {
        Account owner = Fixtures.newUser();
        App app = Fixtures.newApp(owner, "public");
        as(owner).contentType(ContentType.JSON).body("{\"name\": ").patch("/api/v1/oauth/applications/" + app.id())
                .then().statusCode(400).contentType("application/problem+json");
    }

    @Test
    void deleteWhenOwnApplicationThen204AndEveryTokenRefusedAtOnce() {
        Account owner = Fixtures.newUser();
        App app = Fixtures.newApp(owner, Fixtures.ALL_SCOPES);
        Tokens tokens = Fixtures.passwordTokens(app, owner, "public");
        String clientToken = Fixtures.clientCredentialsToken(app, "public");
        me(tokens.accessToken()).statusCode(200);
        me(clientToken).statusCode(403);

        as(owner).delete("/api/v1/oauth/applications/" + app.id()).then().statusCode(204);

        me(tokens.accessToken()).statusCode(401).header("WWW-Authenticate", containsString("invalid_token"));
        me(clientToken).statusCode(401);
        Fixtures.refresh(app, tokens.refreshToken(), null).statusCode(401).body("error", equalTo("invalid_client"));
        problem(as(owner).get("/api/v1/oauth/applications/" + app.id()).then(), 404);
    }

    @Test
    void deleteWhenAnotherUsersApplicationThen404AndItsTokensStillWork() {
        Account owner = Fixtures.newUser();
        App app = Fixtures.newApp(owner, "public");
        Tokens tokens = Fixtures.passwordTokens(app, owner, null);
        problem(as(Fixtures.newUser()).delete("/api/v1/oauth/applications/" + app.id()).then(), 404);
        me(tokens.accessToken()).statusCode(200);
    }

    @Test
    void deleteWhenAlreadyDeletedThen404() {
        Account owner = Fixtures.newUser();
        App app = Fixtures.newApp(owner, "public");
        as(owner).delete("/api/v1/oauth/applications/" + app.id()).then().statusCode(204);
        problem(as(owner).delete("/api/v1/oauth/applications/" + app.id()).then(), 404);
    }

    @Test
    void regenerateSecretWhenConfidentialThenNewSecretOnceOldOneRefused() {
        Account owner = Fixtures.newUser();
        App app = Fixtures.newApp(owner, "public");
        String secret = regenerate(owner, app)
                .then().statusCode(200)
                .header("Cache-Control", "no-store")
                .body("client_id", equalTo(app.clientId()))
                .body("client_secret", notNullValue())
                .extract().path("client_secret");
        clientCredentials(app.clientId(), app.clientSecret()).statusCode(401).body("error", equalTo("invalid_client"));
        clientCredentials(app.clientId(), secret).statusCode(200);
        as(owner).get("/api/v1/oauth/applications/" + app.id()).then().body("$", not(hasKey("client_secret")));
    }

    @Test
    void regenerateSecretWhenTokensIssuedThenTheyKeepWorking() {
        Account owner = Fixtures.newUser();
        App app = Fixtures.newApp(owner, "public");
        Tokens tokens = Fixtures.passwordTokens(app, owner, null);
        regenerate(owner, app).then().statusCode(200);
        me(tokens.accessToken()).statusCode(200);
    }

    @Test
    void regenerateSecretWhenPublicApplicationThen409() {
        Account owner = Fixtures.newUser();
        App app = Fixtures.newPublicApp(owner, "public");
        problem(regenerate(owner, app).then(), 409);
    }

    @Test
    void regenerateSecretWhenAnotherUsersApplicationThen404AndSecretUnchanged() {
        App app = Fixtures.newApp(Fixtures.newUser(), "public");
        problem(regenerate(Fixtures.newUser(), app).then(), 404);
        clientCredentials(app.clientId(), app.clientSecret()).statusCode(200);
    }

    @Test
    void sessionCookieWhenReadingThenNoCsrfHeaderNeeded() {
        Account owner = Fixtures.newUser();
        App app = Fixtures.newApp(owner, "public");
        Pages.Browser browser = Pages.signIn(owner);
        browser.request().get("/api/v1/oauth/applications/" + app.id()).then().statusCode(200)
                .body("client_id", equalTo(app.clientId()));
    }

    @Test
    void sessionCookieWhenChangingWithoutCsrfHeaderThen403AndUnchanged() {
        Account owner = Fixtures.newUser();
        App app = Fixtures.newApp(owner, "public");
        Pages.Browser browser = Pages.signIn(owner);
        problem(browser.request().contentType(ContentType.JSON).body(Map.of("name", "Forged"))
                .patch("/api/v1/oauth/applications/" + app.id()).then(), 403);
        problem(browser.request().header("X-CSRF-Token", "0".repeat(64))
                .delete("/api/v1/oauth/applications/" + app.id()).then(), 403);
        as(owner).get("/api/v1/oauth/applications/" + app.id()).then().statusCode(200)
                .body("name", equalTo("Test app"));
    }

    @Test
    void sessionCookieWhenChangingWithCsrfHeaderThenDone() {
        Account owner = Fixtures.newUser();
        App app = Fixtures.newApp(owner, "public");
        Pages.Browser browser = Pages.signIn(owner);
        browser.request().header("X-CSRF-Token", browser.csrf()).contentType(ContentType.JSON)
                .body(Map.of("name", "Through the session"))
                .patch("/api/v1/oauth/applications/" + app.id())
                .then().statusCode(200).body("name", equalTo("Through the session"));
    }

    @Test
    void sessionCookieWhenUnknownThen401() {
        given().cookie(Pages.SESSION_COOKIE, "no-such-session").get("/api/v1/oauth/applications")
                .then().statusCode(401);
    }

    private static ValidatableResponse clientCredentials(String clientId, String secret) {
        return given().formParam("grant_type", "client_credentials")
                .formParam("client_id", clientId)
                .formParam("client_secret", secret)
                .post("/oauth/token").then();
    }
}
