package io.storeman.web;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;

import io.quarkus.test.junit.QuarkusTest;
import io.storeman.oauth.Scope;
import io.storeman.oauth.ScopeWords;
import io.storeman.support.Fixtures;
import io.storeman.support.Fixtures.Account;
import io.storeman.support.Fixtures.App;
import io.storeman.support.Fixtures.Tokens;
import io.storeman.support.Pages;
import io.storeman.support.Pages.Browser;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * /account/authorized_applications: what can act for the user, each permission in the consent page's words, and
 * "Revoke" through a confirmation page whose form answers with a redirect.
 */
@QuarkusTest
class AuthorizedApplicationsPageTest {

    private static final String BASE = "/account/authorized_applications";

    @Test
    void listWhenNoTokensThenEmptyState() {
        Pages.signIn(Fixtures.newUser()).request().get(BASE).then().statusCode(200)
                .body(containsString("<h1>Authorized applications</h1>"))
                .body(containsString("You haven't authorized any applications yet."))
                .body(not(containsString("holds tokens for your account")));
    }

    @Test
    void listWhenTokensHeldThenApplicationItsPermissionsInWordsAndARevokeLink() {
        Account user = Fixtures.newUser();
        App app = Fixtures.newApp(user, "public read_items");
        Fixtures.passwordTokens(app, user, "public read_items");
        Pages.signIn(user).request().get(BASE).then().statusCode(200)
                .body(containsString("<strong>Test app</strong>"))
                .body(containsString(app.clientId()))
                .body(containsString("<li>" + ScopeWords.describe(Scope.PUBLIC) + "</li>"))
                .body(containsString("<li>" + ScopeWords.describe(Scope.READ_ITEMS) + "</li>"))
                .body(not(containsString("<span class=\"scope\">")))
                .body(containsString("href=\"/account/authorized_applications/" + app.clientId() + "/revoke\""))
                .body(containsString(">Revoke</a>"))
                .body(not(containsString("<form method=\"post\" action=\"/account/authorized_applications/")));
    }

    @Test
    void revokeLinkWhenFollowedThenConfirmationSayingWhatStopsAndNothingRevokedYet() {
        Account user = Fixtures.newUser();
        App app = Fixtures.newApp(user, "public write_items");
        Tokens tokens = Fixtures.passwordTokens(app, user, "public write_items");
        Browser browser = Pages.signIn(user);
        browser.request().get(BASE + "/" + app.clientId() + "/revoke").then().statusCode(200)
                .body(containsString("Revoke access for “<bdi id=\"application-name\">Test app</bdi>”?"))
                .body(containsString("<li>" + ScopeWords.describe(Scope.WRITE_ITEMS) + "</li>"))
                .body(containsString("every access and refresh token it holds for your account stops working"))
                .body(containsString("<form method=\"post\" action=\"/account/authorized_applications/"
                        + app.clientId() + "/revoke\">"))
                .body(containsString("name=\"_csrf\" value=\"" + browser.csrf() + "\""))
                .body(containsString("id=\"confirm-revoke\""));
        given().auth().oauth2(tokens.accessToken()).get("/api/v1/me").then().statusCode(200);
    }

    @Test
    void revokeLinkWhenApplicationCannotActForTheUserThen404Page() {
        Account other = Fixtures.newUser();
        App theirs = Fixtures.newApp(other, "public");
        Fixtures.passwordTokens(theirs, other, null);
        Browser browser = Pages.signIn(Fixtures.newUser());
        for (String clientId : List.of(theirs.clientId(), "no-such-client")) {
            browser.request().get(BASE + "/" + clientId + "/revoke").then().statusCode(404)
                    .contentType(containsString("text/html"))
                    .body(containsString("<h1>Not found</h1>"));
        }
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
