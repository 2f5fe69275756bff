package io.storeman.web;

import static io.restassured.RestAssured.given;
import static io.storeman.support.Fixtures.me;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import io.storeman.support.Fixtures;
import io.storeman.support.Fixtures.Account;
import io.storeman.support.Fixtures.App;
import io.storeman.support.Fixtures.Tokens;
import io.storeman.support.Pages;
import io.storeman.support.Pages.Browser;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * /account/oauth/applications: list, new, show, edit, the secrets, and the danger zone. Every post answers 303 and
 * is harmless to replay; a new secret is shown on the first load of the page the redirect opens, and never again
 * (docs/security.md D10, D11).
 */
@QuarkusTest
class ApplicationPagesTest {

    private static final String BASE = "/account/oauth/applications";

    /** The one-time token of the form at {@code path}, as the browser would post it. */
    private static String once(Browser browser, String path) {
        return Pages.onceToken(browser.request().get(path).then().statusCode(200).extract().asString());
    }

    /** A post of the form at {@code formPath}: its CSRF token and its one-time token. */
    private static RequestSpecification post(Browser browser, String formPath) {
        return browser.request().formParam("_csrf", browser.csrf()).formParam("_once", once(browser, formPath));
    }

    private static RequestSpecification createForm(Browser browser, String name, String... scopes) {
        RequestSpecification request = post(browser, BASE + "/new")
                .formParam("name", name)
                .formParam("redirect_uri", "")
                .formParam("type", "confidential");
        for (String scope : scopes) {
            request.formParam("scopes", scope);
        }
        return request;
    }

    /** Posts {@code fields} (name, value, name, value, ...) as a browser would; sent again as they are to replay. */
    private static Response send(Browser browser, String path, String... fields) {
        RequestSpecification request = browser.request();
        for (int i = 0; i < fields.length; i += 2) {
            request.formParam(fields[i], fields[i + 1]);
        }
        return request.post(path);
    }

    /** The path a 303 sends the browser to. */
    private static String seeOther(Response response) {
        response.then().statusCode(303);
        URI location = URI.create(response.getHeader("Location"));
        return location.getRawPath() + (location.getRawQuery() == null ? "" : "?" + location.getRawQuery());
    }

    private static RequestSpecification as(Account account) {
        return given().auth().preemptive().basic(account.email(), account.password());
    }

    private static JsonPath secretsOf(Account owner, App app) {
        return as(owner).get("/api/v1/oauth/applications/" + app.id() + "/secrets").then().statusCode(200)
                .extract().jsonPath();
    }

    private static String addSecretByApi(Account owner, App app) {
        return as(owner).contentType(ContentType.JSON).post("/api/v1/oauth/applications/" + app.id() + "/secrets")
                .then().statusCode(201).extract().path("client_secret");
    }

    private static long applicationCount(Account owner) {
        return as(owner).get("/api/v1/oauth/applications").then().statusCode(200).extract().jsonPath()
                .getList("$").size();
    }

    private static ValidatableResponse clientCredentials(String clientId, String secret) {
        return given().formParam("grant_type", "client_credentials").formParam("client_id", clientId)
                .formParam("client_secret", secret).post("/oauth/token").then();
    }

    private static void notFoundPage(ValidatableResponse response) {
        response.statusCode(404).contentType(containsString("text/html"))
                .body(containsString("<h1>Not found</h1>"))
                .body(not(containsString("Exception")));
    }

    @Test
    void listWhenNoApplicationsThenEmptyStateAndNewButton() {
        Browser browser = Pages.signIn(Fixtures.newUser());
        browser.request().get(BASE).then().statusCode(200)
                .body(containsString("<h1>OAuth applications</h1>"))
                .body(containsString("href=\"/account/oauth/applications/new\" id=\"new-application\">New</a>"))
                .body(containsString("You have no OAuth applications yet."));
    }

    @Test
    void listWhenApplicationsThenOnlyOwnWithClientIds() {
        Account user = Fixtures.newUser();
        App mine = Fixtures.newApp(user, "public read_items");
        App theirs = Fixtures.newApp(Fixtures.newUser(), "public");
        Pages.signIn(user).request().get(BASE).then().statusCode(200)
                .body(containsString(mine.clientId()))
                .body(not(containsString(theirs.clientId())))
                .body(not(containsString(mine.clientSecret())));
    }

    @Test
    void newFormWhenOpenedThenNameRedirectTypeOneCheckboxPerScopeAndCreateButton() {
        String page = Pages.signIn(Fixtures.newUser()).request().get(BASE + "/new").then().statusCode(200)
                .body(containsString("<label for=\"name\">Name</label>"))
                .body(containsString("<label for=\"redirect_uri\">Redirect URI</label>"))
                .body(containsString("Without one, the application cannot use the authorization code flow"))
                .body(containsString("name=\"type\" value=\"confidential\" checked"))
                .body(containsString("name=\"type\" value=\"public\""))
                .body(containsString(">Create application</button>"))
                .extract().asString();
        for (String scope : Fixtures.ALL_SCOPES.split(" ")) {
            assertEquals(1, page.split("type=\"checkbox\" name=\"scopes\" value=\"" + scope + "\"", -1).length - 1,
                    scope);
        }
        assertEquals(43, Pages.onceToken(page).length(), "the form carries a one-time token");
    }

    @Test
    void createWhenValidThen303AndTheSecretIsShownOnTheFirstLoadOnlyAndWorks() {
        Browser browser = Pages.signIn(Fixtures.newUser());
        String target = seeOther(createForm(browser, "Stock counter", "public", "read_items").post(BASE));
        assertTrue(target.matches(BASE + "/\\d+\\?notice=application_created"), target);

        String page = browser.request().get(target).then().statusCode(200)
                .header("Cache-Control", "no-store")
                .body(containsString("<h1>Stock counter</h1>"))
                .body(containsString("The application has been created."))
                .body(containsString("Copy the Client secret now."))
                .extract().asString();
        String clientId = Pages.textOf(page, "client-id");
        String secret = Pages.textOf(page, "client-secret");
        clientCredentials(clientId, secret).statusCode(200).body("scope", equalTo("public"));

        // A reload (or back and forward, which load the page again: it is never stored) does not show it again.
        browser.request().get(target).then().statusCode(200)
                .body(containsString(clientId))
                .body(not(containsString(secret)))
                .body(not(containsString("id=\"client-secret\"")))
                .body(not(containsString("Copy the Client secret now.")));
    }

    @Test
    void createWhenTheSamePostIsSentAgainThenTheSameRedirectAndNoSecondApplication() {
        Account user = Fixtures.newUser();
        Browser browser = Pages.signIn(user);
        String[] fields = {"_csrf", browser.csrf(), "_once", once(browser, BASE + "/new"), "name", "Once only",
            "redirect_uri", "", "type", "confidential", "scopes", "public"};
        String first = seeOther(send(browser, BASE, fields));
        // Sent again before the page was loaded (a double click): the same page, still showing the secret once.
        assertEquals(first, seeOther(send(browser, BASE, fields)));
        String secret = Pages.textOf(browser.request().get(first).then().statusCode(200).extract().asString(),
                "client-secret");
        // And after (a reload of the answer to the post, confirmed): the same page, without the secret.
        assertEquals(first, seeOther(send(browser, BASE, fields)));
        browser.request().get(first).then().statusCode(200).body(not(containsString(secret)));
        assertEquals(1, applicationCount(user));
    }

    @Test
    void createWhenNoOneTimeTokenThen403AndNothingCreated() {
        Account user = Fixtures.newUser();
        Browser browser = Pages.signIn(user);
        send(browser, BASE, "_csrf", browser.csrf(), "name", "No token", "type", "confidential", "scopes", "public")
                .then().statusCode(403).contentType(containsString("text/html"));
        send(browser, BASE, "_csrf", browser.csrf(), "_once", "not a token", "name", "Bad token", "scopes", "public")
                .then().statusCode(403);
        assertEquals(0, applicationCount(user));
    }

    @Test
    void createWhenPublicTypeThenNoSecret() {
        Browser browser = Pages.signIn(Fixtures.newUser());
        String target = seeOther(post(browser, BASE + "/new").formParam("name", "Phone app")
                .formParam("redirect_uri", "https://phone.example/cb").formParam("type", "public")
                .formParam("scopes", "public").post(BASE));
        browser.request().get(target).then().statusCode(200)
                .body(containsString("Public (no secret)"))
                .body(not(containsString("id=\"client-secret\"")))
                .body(not(containsString("Client secrets")))
                .body(not(containsString("Regenerate secret")));
    }

    @Test
    void createWhenInvalidThen400FormWithMessagesBesideFieldsAndValuesKept() {
        Browser browser = Pages.signIn(Fixtures.newUser());
        post(browser, BASE + "/new").formParam("name", "")
                .formParam("redirect_uri", "http://not-local.example/cb").formParam("type", "confidential")
                .post(BASE).then().statusCode(400)
                .body(containsString("id=\"name-error\">Name must not be blank."))
                .body(containsString("id=\"redirect_uri-error\">Redirect URI must be an absolute https URI"))
                .body(containsString("id=\"scopes-error\">Choose at least one scope.</p>"))
                .body(not(containsString("must be one or more of")))
                .body(containsString("value=\"public\" id=\"scope-public\" aria-invalid=\"true\""
                        + " aria-describedby=\"scopes-error\""))
                .body(containsString("value=\"http://not-local.example/cb\""));
    }

    @Test
    void createWhenARefusedPostIsSentAgainThenJudgedAgainNotTakenForAReplay() {
        Account user = Fixtures.newUser();
        Browser browser = Pages.signIn(user);
        String[] fields = {"_csrf", browser.csrf(), "_once", once(browser, BASE + "/new"), "name", "",
            "type", "confidential", "scopes", "public"};
        send(browser, BASE, fields).then().statusCode(400);
        send(browser, BASE, fields).then().statusCode(400).body(containsString("Name must not be blank."));
        assertEquals(0, applicationCount(user));
    }

    @Test
    void createWhenNameHoldsBidiControlThen400WithMessageBesideTheField() {
        Browser browser = Pages.signIn(Fixtures.newUser());
        createForm(browser, "\u202egnp.otohP", "public")
                .contentType("application/x-www-form-urlencoded; charset=UTF-8")
                .post(BASE).then().statusCode(400)
                .body(containsString("id=\"name-error\">Name must not contain control, invisible or invalid"));
    }

    @Test
    void createWhenUnknownScopeValueThen400() {
        Browser browser = Pages.signIn(Fixtures.newUser());
        createForm(browser, "x", "public", "admin").post(BASE).then().statusCode(400)
                .body(containsString("id=\"scopes-error\""));
    }

    @Test
    void createWhenNoCsrfTokenThen403AndNothingCreated() {
        Account user = Fixtures.newUser();
        Browser browser = Pages.signIn(user);
        browser.request().formParam("_once", once(browser, BASE + "/new")).formParam("name", "Forged")
                .formParam("scopes", "public").post(BASE)
                .then().statusCode(403).contentType(containsString("text/html"));
        assertEquals(0, applicationCount(user));
    }

    @Test
    void createWhenCsrfTokenOfAnotherSessionThen403() {
        Account user = Fixtures.newUser();
        Browser browser = Pages.signIn(user);
        Browser other = Pages.signIn(Fixtures.newUser());
        browser.request().formParam("_csrf", other.csrf()).formParam("_once", once(browser, BASE + "/new"))
                .formParam("name", "Forged").formParam("scopes", "public")
                .post(BASE).then().statusCode(403);
    }

    @Test
    void showWhenAnotherUsersApplicationThen404PageEverywhere() {
        App theirs = Fixtures.newApp(Fixtures.newUser(), "public");
        Browser browser = Pages.signIn(Fixtures.newUser());
        String once = once(browser, BASE + "/new");
        String app = BASE + "/" + theirs.id();
        for (String page : List.of(app, app + "/edit", app + "/delete", app + "/secret", app + "/secrets/1/delete")) {
            notFoundPage(browser.request().get(page).then());
        }
        for (String action : List.of(app + "/delete", app + "/secret", app + "/secrets", app + "/secrets/1/delete")) {
            notFoundPage(send(browser, action, "_csrf", browser.csrf(), "_once", once).then());
        }
        notFoundPage(send(browser, app, "_csrf", browser.csrf(), "_once", once, "name", "Mine now",
                "scopes", "public").then());
        clientCredentials(theirs.clientId(), theirs.clientSecret()).statusCode(200);
    }

    @Test
    void showWhenUnknownOrMalformedIdThen404Page() {
        Browser browser = Pages.signIn(Fixtures.newUser());
        notFoundPage(browser.request().get(BASE + "/999999999").then());
        notFoundPage(browser.request().get(BASE + "/not-a-number").then());
    }

    @Test
    void showWhenNoRedirectUriThenWarnedThatTheCodeFlowCannotBeUsed() {
        Account user = Fixtures.newUser();
        Browser browser = Pages.signIn(user);
        browser.request().get(BASE + "/" + Fixtures.newApp(user, "public").id()).then().statusCode(200)
                .body(containsString("id=\"no-redirect-uri\""))
                .body(containsString("cannot use the authorization code flow"));
        browser.request().get(BASE + "/" + Fixtures.newPublicApp(user, "public").id()).then().statusCode(200)
                .body(not(containsString("id=\"no-redirect-uri\"")));
    }

    @Test
    void showWhenConfidentialThenSecretsWithoutValuesAndDangerZoneApartFromEdit() {
        Account user = Fixtures.newUser();
        App app = Fixtures.newApp(user, "public");
        String second = addSecretByApi(user, app);
        String page = Pages.signIn(user).request().get(BASE + "/" + app.id()).then().statusCode(200)
                .body(not(containsString(app.clientSecret())))
                .body(not(containsString(second)))
                .body(containsString("Never used"))
                .extract().asString();
        assertEquals(2, page.split("class=\"secret-item\"", -1).length - 1, "both secrets are listed");
        String danger = page.substring(page.indexOf("<h2 id=\"danger-heading\">Danger zone</h2>"));
        assertTrue(danger.contains("id=\"regenerate-secret\"") && danger.contains("id=\"delete-application\""),
                "regenerate and delete are in the danger zone");
        assertTrue(!danger.contains("id=\"edit-application\"") && page.contains("id=\"edit-application\""),
                "Edit is apart from the danger zone");
        assertTrue(danger.contains("Clients using the current secret will fail to get tokens until they are"
                + " updated."), danger);
    }

    @Test
    void showWhenASecretWasUsedThenItsLastUseIsShown() {
        Account user = Fixtures.newUser();
        App app = Fixtures.newApp(user, "public");
        clientCredentials(app.clientId(), app.clientSecret()).statusCode(200);
        Browser browser = Pages.signIn(user);
        long deadline = System.nanoTime() + 5_000_000_000L;
        String page;
        do {
            page = browser.request().get(BASE + "/" + app.id()).then().statusCode(200).extract().asString();
        } while (page.contains("Never used") && System.nanoTime() < deadline);
        assertTrue(page.contains("Last used "), "the secret's use is recorded");
    }

    @Test
    void editWhenSavedThen303AndChanged() {
        Account user = Fixtures.newUser();
        App app = Fixtures.newApp(user, "public");
        Browser browser = Pages.signIn(user);
        browser.request().get(BASE + "/" + app.id() + "/edit").then().statusCode(200)
                .body(containsString("value=\"Test app\""))
                .body(containsString("value=\"public\" id=\"scope-public\" checked"))
                .body(containsString(">Save changes</button>"));
        post(browser, BASE + "/" + app.id() + "/edit").formParam("name", "Edited")
                .formParam("redirect_uri", "https://edited.example/cb")
                .formParam("scopes", "public").formParam("scopes", "write_items")
                .post(BASE + "/" + app.id()).then().statusCode(303)
                .header("Location", endsWith(BASE + "/" + app.id() + "?notice=application_updated"));
        browser.request().get(BASE + "/" + app.id() + "?notice=application_updated").then()
                .body(containsString("<h1>Edited</h1>"))
                .body(containsString("The application has been updated."))
                .body(containsString("https://edited.example/cb"))
                .body(containsString("<span class=\"scope\">write_items</span>"));
    }

    @Test
    void editWhenInvalidThen400WithMessages() {
        Account user = Fixtures.newUser();
        App app = Fixtures.newApp(user, "public");
        Browser browser = Pages.signIn(user);
        post(browser, BASE + "/" + app.id() + "/edit").formParam("name", "n".repeat(101))
                .formParam("redirect_uri", "").post(BASE + "/" + app.id()).then().statusCode(400)
                .body(containsString("Name must be at most 100 characters long."))
                .body(containsString("id=\"scopes-error\">Choose at least one scope."));
    }

    @Test
    void editWhenNoCsrfTokenThen403AndUnchanged() {
        Account user = Fixtures.newUser();
        App app = Fixtures.newApp(user, "public");
        Browser browser = Pages.signIn(user);
        browser.request().formParam("_once", once(browser, BASE + "/" + app.id() + "/edit"))
                .formParam("name", "Forged").formParam("scopes", "public")
                .post(BASE + "/" + app.id()).then().statusCode(403);
        as(user).get("/api/v1/oauth/applications/" + app.id()).then().body("name", equalTo("Test app"));
    }

    @Test
    void deleteWhenConfirmedThen303AndItsTokensRefusedAtOnceAndAReplayIsTheSameRedirect() {
        Account user = Fixtures.newUser();
        App app = Fixtures.newApp(user, "public");
        Tokens tokens = Fixtures.passwordTokens(app, user, null);
        Browser browser = Pages.signIn(user);
        browser.request().get(BASE + "/" + app.id() + "/delete").then().statusCode(200)
                .body(containsString("Delete “Test app”?"))
                .body(containsString(">Delete application</button>"));
        String[] fields = {"_csrf", browser.csrf(), "_once", once(browser, BASE + "/" + app.id() + "/delete")};
        assertEquals(BASE + "?notice=application_deleted", seeOther(send(browser, BASE + "/" + app.id() + "/delete",
                fields)));
        me(tokens.accessToken()).statusCode(401);
        notFoundPage(browser.request().get(BASE + "/" + app.id()).then());
        assertEquals(BASE + "?notice=application_deleted", seeOther(send(browser, BASE + "/" + app.id() + "/delete",
                fields)));
    }

    @Test
    void deleteWhenNoCsrfTokenThen403AndKept() {
        Account user = Fixtures.newUser();
        App app = Fixtures.newApp(user, "public");
        Tokens tokens = Fixtures.passwordTokens(app, user, null);
        Pages.signIn(user).request().post(BASE + "/" + app.id() + "/delete").then().statusCode(403);
        me(tokens.accessToken()).statusCode(200);
    }

    @Test
    void regenerateWhenAskedThenAConfirmationPageSaysWhatStopsWorkingAndChangesNothing() {
        Account user = Fixtures.newUser();
        App app = Fixtures.newApp(user, "public");
        Pages.signIn(user).request().get(BASE + "/" + app.id() + "/secret").then().statusCode(200)
                .body(containsString("Regenerate the secret of “Test app”?"))
                .body(containsString("clients using the current secret will fail to get tokens until they are"
                        + " updated"))
                .body(containsString("add a second secret</a> instead"))
                .body(containsString("id=\"confirm-regenerate\">Regenerate secret</button>"));
        clientCredentials(app.clientId(), app.clientSecret()).statusCode(200);
    }

    @Test
    void regenerateWhenConfirmedThen303NewSecretShownOnceOldRefusedAndAReplayMakesNoOther() {
        Account user = Fixtures.newUser();
        App app = Fixtures.newApp(user, "public");
        Browser browser = Pages.signIn(user);
        String[] fields = {"_csrf", browser.csrf(), "_once", once(browser, BASE + "/" + app.id() + "/secret")};
        String target = seeOther(send(browser, BASE + "/" + app.id() + "/secret", fields));
        assertEquals(BASE + "/" + app.id() + "?notice=secret_regenerated", target);
        String secret = Pages.textOf(browser.request().get(target).then().statusCode(200)
                .body(containsString("The previous secret no longer works"))
                .extract().asString(), "client-secret");
        assertNotEquals(app.clientSecret(), secret);
        clientCredentials(app.clientId(), app.clientSecret()).statusCode(401).body("error", equalTo("invalid_client"));
        clientCredentials(app.clientId(), secret).statusCode(200);

        browser.request().get(target).then().statusCode(200).body(not(containsString(secret)));
        assertEquals(target, seeOther(send(browser, BASE + "/" + app.id() + "/secret", fields)));
        clientCredentials(app.clientId(), secret).statusCode(200);
        assertEquals(1, secretsOf(user, app).getList("$").size());
    }

    @Test
    void regenerateWhenNoCsrfTokenThen403AndOldSecretStillWorks() {
        Account user = Fixtures.newUser();
        App app = Fixtures.newApp(user, "public");
        Browser browser = Pages.signIn(user);
        browser.request().formParam("_once", once(browser, BASE + "/" + app.id() + "/secret"))
                .post(BASE + "/" + app.id() + "/secret").then().statusCode(403);
        clientCredentials(app.clientId(), app.clientSecret()).statusCode(200);
    }

    @Test
    void regenerateWhenPublicApplicationThen409Page() {
        Account user = Fixtures.newUser();
        App app = Fixtures.newPublicApp(user, "public");
        Browser browser = Pages.signIn(user);
        browser.request().get(BASE + "/" + app.id() + "/secret").then().statusCode(409)
                .contentType(containsString("text/html"))
                .body(containsString("A public application has no secret."));
        send(browser, BASE + "/" + app.id() + "/secret", "_csrf", browser.csrf(), "_once",
                once(browser, BASE + "/new")).then().statusCode(409)
                .contentType(containsString("text/html"))
                .body(containsString("A public application has no secret."));
    }

    @Test
    void addSecretWhenPostedThen303BothSecretsWorkAndAReplayAddsNoThird() {
        Account user = Fixtures.newUser();
        App app = Fixtures.newApp(user, "public");
        Browser browser = Pages.signIn(user);
        String[] fields = {"_csrf", browser.csrf(), "_once", once(browser, BASE + "/" + app.id())};
        String target = seeOther(send(browser, BASE + "/" + app.id() + "/secrets", fields));
        assertEquals(BASE + "/" + app.id() + "?notice=secret_added", target);
        String second = Pages.textOf(browser.request().get(target).then().statusCode(200)
                .body(containsString("The other secrets keep working until you delete them."))
                .extract().asString(), "client-secret");
        clientCredentials(app.clientId(), app.clientSecret()).statusCode(200);
        clientCredentials(app.clientId(), second).statusCode(200);

        assertEquals(target, seeOther(send(browser, BASE + "/" + app.id() + "/secrets", fields)));
        browser.request().get(target).then().statusCode(200).body(not(containsString(second)));
        assertEquals(2, secretsOf(user, app).getList("$").size());
    }

    @Test
    void addSecretWhenFiveAlreadyThenNoButtonAndA409Page() {
        Account user = Fixtures.newUser();
        App app = Fixtures.newApp(user, "public");
        for (int i = 0; i < 4; i++) {
            addSecretByApi(user, app);
        }
        Browser browser = Pages.signIn(user);
        browser.request().get(BASE + "/" + app.id()).then().statusCode(200)
                .body(not(containsString("id=\"add-secret\"")))
                .body(containsString("This application holds 5 secrets, the most it can"));
        send(browser, BASE + "/" + app.id() + "/secrets", "_csrf", browser.csrf(), "_once",
                once(browser, BASE + "/new"))
                .then().statusCode(409).contentType(containsString("text/html"))
                .body(containsString("at most 5 secrets"));
        assertEquals(5, secretsOf(user, app).getList("$").size());
    }

    @Test
    void deleteSecretWhenConfirmedThenItIsRefusedTheOtherWorksAndAReplayIsTheSameRedirect() {
        Account user = Fixtures.newUser();
        App app = Fixtures.newApp(user, "public");
        String second = addSecretByApi(user, app);
        long firstId = secretsOf(user, app).getLong("[0].id");
        Browser browser = Pages.signIn(user);
        String confirm = BASE + "/" + app.id() + "/secrets/" + firstId + "/delete";
        browser.request().get(BASE + "/" + app.id()).then()
                .body(containsString("href=\"" + confirm + "\""));
        browser.request().get(confirm).then().statusCode(200)
                .body(containsString("Delete secret #" + firstId + " of “Test app”?"))
                .body(containsString("clients using it will fail to get tokens until they are updated"))
                .body(containsString("id=\"confirm-delete-secret\">Delete secret</button>"));
        String[] fields = {"_csrf", browser.csrf(), "_once", once(browser, confirm)};
        String target = seeOther(send(browser, confirm, fields));
        assertEquals(BASE + "/" + app.id() + "?notice=secret_deleted", target);
        clientCredentials(app.clientId(), app.clientSecret()).statusCode(401).body("error", equalTo("invalid_client"));
        clientCredentials(app.clientId(), second).statusCode(200);
        assertEquals(target, seeOther(send(browser, confirm, fields)));
        browser.request().get(target).then().statusCode(200)
                .body(containsString("Clients still using it can no longer get tokens."));
    }

    @Test
    void deleteSecretWhenItIsTheLastThenNoDeleteLinkAndA409Page() {
        Account user = Fixtures.newUser();
        App app = Fixtures.newApp(user, "public");
        long id = secretsOf(user, app).getLong("[0].id");
        Browser browser = Pages.signIn(user);
        String page = browser.request().get(BASE + "/" + app.id()).then().statusCode(200)
                .body(not(containsString("/secrets/" + id + "/delete")))
                .body(containsString("The only secret cannot be deleted"))
                .extract().asString();
        send(browser, BASE + "/" + app.id() + "/secrets/" + id + "/delete", "_csrf", browser.csrf(), "_once",
                Pages.onceToken(page)).then().statusCode(409).contentType(containsString("text/html"));
        clientCredentials(app.clientId(), app.clientSecret()).statusCode(200);
    }

    @Test
    void pageWhenNameHasMarkupThenEscaped() {
        Browser browser = Pages.signIn(Fixtures.newUser());
        String target = seeOther(createForm(browser, "<script>alert(1)</script>", "public").post(BASE));
        browser.request().get(target).then().statusCode(200)
                .body(not(containsString("<script>alert(1)</script>")))
                .body(containsString("&lt;script&gt;alert(1)&lt;/script&gt;"));
    }
}
