package io.storeman.web;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import io.storeman.support.Fixtures;
import io.storeman.support.Fixtures.Account;
import io.storeman.support.Fixtures.App;
import io.storeman.support.Fixtures.Tokens;
import io.storeman.support.Pages;
import io.storeman.support.Pages.Browser;
import org.junit.jupiter.api.Test;

/** /account/oauth/applications: list, new, show (secret once), edit, delete with confirmation, new secret. */
@QuarkusTest
class ApplicationPagesTest {

    private static final String BASE = "/account/oauth/applications";

    private static RequestSpecification createForm(Browser browser, String name, String... scopes) {
        RequestSpecification request = browser.request().formParam("_csrf", browser.csrf())
                .formParam("name", name)
                .formParam("redirect_uri", "")
                .formParam("type", "confidential");
        for (String scope : scopes) {
            request.formParam("scopes", scope);
        }
        return request;
    }

    private static ValidatableResponse clientCredentials(String clientId, String secret) {
        return given().formParam("grant_type", "client_credentials").formParam("client_id", clientId)
                .formParam("client_secret", secret).post("/oauth/token").then();
    }

    private static ValidatableResponse me(String accessToken) {
        return given().auth().oauth2(accessToken).get("/api/v1/me").then();
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
                .body(containsString("name=\"type\" value=\"confidential\" checked"))
                .body(containsString("name=\"type\" value=\"public\""))
                .body(containsString(">Create application</button>"))
                .extract().asString();
        for (String scope : Fixtures.ALL_SCOPES.split(" ")) {
            assertEquals(1, page.split("type=\"checkbox\" name=\"scopes\" value=\"" + scope + "\"", -1).length - 1,
                    scope);
        }
    }

    @Test
    void createWhenValidThenPageShowsClientIdAndSecretOnceAndTheyWork() {
        Browser browser = Pages.signIn(Fixtures.newUser());
        String page = createForm(browser, "Stock counter", "public", "read_items").post(BASE)
                .then().statusCode(200)
                .header("Cache-Control", "no-store")
                .body(containsString("<h1>Stock counter</h1>"))
                .body(containsString("Copy the Client secret now."))
                .extract().asString();
        String clientId = Pages.textOf(page, "client-id");
        String secret = Pages.textOf(page, "client-secret");
        clientCredentials(clientId, secret).statusCode(200).body("scope", equalTo("public"));

        String id = page.replaceAll("(?s).*/account/oauth/applications/(\\d+)/edit.*", "$1");
        browser.request().get(BASE + "/" + id).then().statusCode(200)
                .body(containsString(clientId))
                .body(not(containsString(secret)))
                .body(not(containsString("id=\"client-secret\"")));
    }

    @Test
    void createWhenPublicTypeThenNoSecret() {
        Browser browser = Pages.signIn(Fixtures.newUser());
        browser.request().formParam("_csrf", browser.csrf()).formParam("name", "Phone app")
                .formParam("redirect_uri", "https://phone.example/cb").formParam("type", "public")
                .formParam("scopes", "public")
                .post(BASE).then().statusCode(200)
                .body(containsString("Public (no secret)"))
                .body(not(containsString("id=\"client-secret\"")));
    }

    @Test
    void createWhenInvalidThen400FormWithMessagesBesideFieldsAndValuesKept() {
        Browser browser = Pages.signIn(Fixtures.newUser());
        browser.request().formParam("_csrf", browser.csrf()).formParam("name", "")
                .formParam("redirect_uri", "http://not-local.example/cb").formParam("type", "confidential")
                .post(BASE).then().statusCode(400)
                .body(containsString("id=\"name-error\">Name must not be blank."))
                .body(containsString("id=\"redirect_uri-error\">Redirect URI must be an absolute https URI"))
                .body(containsString("id=\"scopes-error\">Scopes must be one or more of"))
                .body(containsString("value=\"http://not-local.example/cb\""));
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
        browser.request().formParam("name", "Forged").formParam("scopes", "public").post(BASE)
                .then().statusCode(403).contentType(containsString("text/html"));
        given().auth().preemptive().basic(user.email(), user.password()).get("/api/v1/oauth/applications")
                .then().body("size()", equalTo(0));
    }

    @Test
    void createWhenCsrfTokenOfAnotherSessionThen403() {
        Account user = Fixtures.newUser();
        Browser browser = Pages.signIn(user);
        Browser other = Pages.signIn(Fixtures.newUser());
        browser.request().formParam("_csrf", other.csrf()).formParam("name", "Forged").formParam("scopes", "public")
                .post(BASE).then().statusCode(403);
    }

    @Test
    void showWhenAnotherUsersApplicationThen404PageEverywhere() {
        App theirs = Fixtures.newApp(Fixtures.newUser(), "public");
        Browser browser = Pages.signIn(Fixtures.newUser());
        notFoundPage(browser.request().get(BASE + "/" + theirs.id()).then());
        notFoundPage(browser.request().get(BASE + "/" + theirs.id() + "/edit").then());
        notFoundPage(browser.request().get(BASE + "/" + theirs.id() + "/delete").then());
        notFoundPage(browser.request().formParam("_csrf", browser.csrf()).post(BASE + "/" + theirs.id() + "/delete")
                .then());
        notFoundPage(browser.request().formParam("_csrf", browser.csrf()).post(BASE + "/" + theirs.id() + "/secret")
                .then());
        notFoundPage(browser.request().formParam("_csrf", browser.csrf()).formParam("name", "Mine now")
                .formParam("scopes", "public").post(BASE + "/" + theirs.id()).then());
        clientCredentials(theirs.clientId(), theirs.clientSecret()).statusCode(200);
    }

    @Test
    void showWhenUnknownOrMalformedIdThen404Page() {
        Browser browser = Pages.signIn(Fixtures.newUser());
        notFoundPage(browser.request().get(BASE + "/999999999").then());
        notFoundPage(browser.request().get(BASE + "/not-a-number").then());
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
        browser.request().formParam("_csrf", browser.csrf()).formParam("name", "Edited")
                .formParam("redirect_uri", "https://edited.example/cb")
                .formParam("scopes", "public").formParam("scopes", "write_items")
                .post(BASE + "/" + app.id()).then().statusCode(303)
                .header("Location", containsString(BASE + "/" + app.id() + "?notice=application_updated"));
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
        browser.request().formParam("_csrf", browser.csrf()).formParam("name", "n".repeat(101))
                .formParam("redirect_uri", "").post(BASE + "/" + app.id()).then().statusCode(400)
                .body(containsString("Name must be at most 100 characters long."))
                .body(containsString("id=\"scopes-error\""));
    }

    @Test
    void editWhenNoCsrfTokenThen403AndUnchanged() {
        Account user = Fixtures.newUser();
        App app = Fixtures.newApp(user, "public");
        Pages.signIn(user).request().formParam("name", "Forged").formParam("scopes", "public")
                .post(BASE + "/" + app.id()).then().statusCode(403);
        given().auth().preemptive().basic(user.email(), user.password()).get("/api/v1/oauth/applications/" + app.id())
                .then().body("name", equalTo("Test app"));
    }

    @Test
    void deleteWhenConfirmedThen303AndItsTokensRefusedAtOnce() {
        Account user = Fixtures.newUser();
        App app = Fixtures.newApp(user, "public");
        Tokens tokens = Fixtures.passwordTokens(app, user, null);
        Browser browser = Pages.signIn(user);
        browser.request().get(BASE + "/" + app.id() + "/delete").then().statusCode(200)
                .body(containsString("Delete “Test app”?"))
                .body(containsString(">Delete application</button>"));
        browser.request().formParam("_csrf", browser.csrf()).post(BASE + "/" + app.id() + "/delete")
                .then().statusCode(303).header("Location", containsString(BASE + "?notice=application_deleted"));
        me(tokens.accessToken()).statusCode(401);
        notFoundPage(browser.request().get(BASE + "/" + app.id()).then());
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
    void regenerateSecretWhenPostedThenNewSecretShownAndOldOneRefused() {
        Account user = Fixtures.newUser();
        App app = Fixtures.newApp(user, "public");
        Browser browser = Pages.signIn(user);
        String page = browser.request().formParam("_csrf", browser.csrf()).post(BASE + "/" + app.id() + "/secret")
                .then().statusCode(200).header("Cache-Control", "no-store").extract().asString();
        String secret = Pages.textOf(page, "client-secret");
        assertNotEquals(app.clientSecret(), secret);
        clientCredentials(app.clientId(), app.clientSecret()).statusCode(401);
        clientCredentials(app.clientId(), secret).statusCode(200);
    }

    @Test
    void regenerateSecretWhenNoCsrfTokenThen403AndOldSecretStillWorks() {
        Account user = Fixtures.newUser();
        App app = Fixtures.newApp(user, "public");
        Pages.signIn(user).request().post(BASE + "/" + app.id() + "/secret").then().statusCode(403);
        clientCredentials(app.clientId(), app.clientSecret()).statusCode(200);
    }

    @Test
    void regenerateSecretWhenPublicApplicationThen409Page() {
        Account user = Fixtures.newUser();
        App app = Fixtures.newPublicApp(user, "public");
        Browser browser = Pages.signIn(user);
        browser.request().formParam("_csrf", browser.csrf()).post(BASE + "/" + app.id() + "/secret")
                .then().statusCode(409).contentType(containsString("text/html"))
                .body(containsString("A public application has no secret."));
    }

    @Test
    void pageWhenNameHasMarkupThenEscaped() {
        Browser browser = Pages.signIn(Fixtures.newUser());
        createForm(browser, "<script>alert(1)</script>", "public").post(BASE).then().statusCode(200)
                .body(not(containsString("<script>alert(1)</script>")))
                .body(containsString("&lt;script&gt;alert(1)&lt;/script&gt;"));
    }
}
