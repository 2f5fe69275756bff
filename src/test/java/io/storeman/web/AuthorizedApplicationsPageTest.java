package io.storeman.web;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;

import io.quarkus.test.junit.QuarkusTest;
import io.storeman.support.Fixtures;
import io.storeman.support.Fixtures.Account;
import io.storeman.support.Fixtures.App;
import io.storeman.support.Fixtures.Tokens;
import io.storeman.support.Pages;
import io.storeman.support.Pages.Browser;
import org.junit.jupiter.api.Test;

/** /account/authorized_applications: what holds tokens for the user, each with "Revoke". */
@QuarkusTest
class AuthorizedApplicationsPageTest {

    private static final String BASE = "/account/authorized_applications";

    @Test
    void listWhenNoTokensThenEmptyState() {
        Pages.signIn(Fixtures.newUser()).request().get(BASE).then().statusCode(200)
                .body(containsString("<h1>Authorized applications</h1>"))
                .body(containsString("No application holds tokens for your account."));
    }

    @Test
    void listWhenTokensHeldThenApplicationScopesAndRevokeButton() {
        Account user = Fixtures.newUser();
        App app = Fixtures.newApp(user, "public read_items");
        Fixtures.passwordTokens(app, user, "public read_items");
        Pages.signIn(user).request().get(BASE).then().statusCode(200)
                .body(containsString("<strong>Test app</strong>"))
                .body(containsString(app.clientId()))
                .body(containsString("<span class=\"scope\">read_items</span>"))
                .body(containsString("action=\"/account/authorized_applications/" + app.clientId() + "/revoke\""))
                .body(containsString(">Revoke</button>"));
    }

    @Test
    void revokeWhenPostedThen303AndTokensRefusedAtOnce() {
        Account user = Fixtures.newUser();
        App app = Fixtures.newApp(user, "public");
        Tokens tokens = Fixtures.passwordTokens(app, user, null);
        Browser browser = Pages.signIn(user);
        browser.request().formParam("_csrf", browser.csrf()).post(BASE + "/" + app.clientId() + "/revoke")
                .then().statusCode(303).header("Location", containsString(BASE + "?notice=authorization_revoked"));
        given().auth().oauth2(tokens.accessToken()).get("/api/v1/me").then().statusCode(401);
        browser.request().get(BASE + "?notice=authorization_revoked").then()
                .body(containsString("access has been revoked."))
                .body(not(containsString(app.clientId())));
    }

    @Test
    void revokeWhenAlreadyRevokedThenSameRedirect() {
        Account user = Fixtures.newUser();
        App app = Fixtures.newApp(user, "public");
        Browser browser = Pages.signIn(user);
        browser.request().formParam("_csrf", browser.csrf()).post(BASE + "/" + app.clientId() + "/revoke")
                .then().statusCode(303);
    }

    @Test
    void revokeWhenNoCsrfTokenThen403AndTokensKept() {
        Account user = Fixtures.newUser();
        App app = Fixtures.newApp(user, "public");
        Tokens tokens = Fixtures.passwordTokens(app, user, null);
        Pages.signIn(user).request().post(BASE + "/" + app.clientId() + "/revoke").then().statusCode(403);
        given().auth().oauth2(tokens.accessToken()).get("/api/v1/me").then().statusCode(200);
    }

    @Test
    void revokeWhenAnotherUsersTokensThenTheyKeepWorking() {
        Account other = Fixtures.newUser();
        App app = Fixtures.newApp(other, "public");
        Tokens tokens = Fixtures.passwordTokens(app, other, null);
        Browser browser = Pages.signIn(Fixtures.newUser());
        browser.request().formParam("_csrf", browser.csrf()).post(BASE + "/" + app.clientId() + "/revoke")
                .then().statusCode(303);
        given().auth().oauth2(tokens.accessToken()).get("/api/v1/me").then().statusCode(200);
    }
}
