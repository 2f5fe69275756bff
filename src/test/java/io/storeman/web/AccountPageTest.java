package io.storeman.web;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import io.storeman.support.Fixtures;
import io.storeman.support.Fixtures.Account;
import io.storeman.support.Fixtures.App;
import io.storeman.support.Fixtures.Tokens;
import io.storeman.support.Pages;
import io.storeman.support.Pages.Browser;
import org.junit.jupiter.api.Test;

/** /account ("Account & Settings"): the e-mail, and the password change form. */
@QuarkusTest
class AccountPageTest {

    private static final String NEW_PASSWORD = "an entirely new passphrase";

    private static RequestSpecification passwordForm(Browser browser, String current, String next,
            String confirmation) {
        return browser.request().formParam("_csrf", browser.csrf())
                .formParam("current_password", current)
                .formParam("new_password", next)
                .formParam("new_password_confirmation", confirmation);
    }

    @Test
    void accountPageWhenSignedInThenEmailNavigationAndPasswordForm() {
        Account user = Fixtures.newUser();
        Pages.signIn(user).request().get("/account").then().statusCode(200)
                .body(containsString("<h1>Account &amp; Settings</h1>"))
                .body(containsString("id=\"account-email\">" + user.email() + "<"))
                .body(containsString("href=\"/account/oauth/applications\""))
                .body(containsString("href=\"/account/authorized_applications\""))
                .body(containsString("<label for=\"current_password\">Current password</label>"))
                .body(containsString("<label for=\"new_password\">New password</label>"))
                .body(containsString("aria-current=\"page\">Account &amp; Settings"));
    }

    @Test
    void changePasswordWhenValidThen303TokensRevokedOtherSessionsEndedThisOneKept() {
        Account user = Fixtures.newUser();
        App app = Fixtures.newApp(user, "public");
        Tokens tokens = Fixtures.passwordTokens(app, user, null);
        Browser here = Pages.signIn(user);
        Browser elsewhere = Pages.signIn(user);

        passwordForm(here, user.password(), NEW_PASSWORD, NEW_PASSWORD).post("/account/password")
                .then().statusCode(303).header("Location", containsString("/account?notice=password_changed"));

        given().auth().oauth2(tokens.accessToken()).get("/api/v1/me").then().statusCode(401);
        here.request().get("/account?notice=password_changed").then().statusCode(200)
                .body(containsString("Your password has been changed."));
        elsewhere.request().get("/account").then().statusCode(303);
        Pages.signIn(new Account(user.id(), user.email(), NEW_PASSWORD));
    }

    @Test
    void changePasswordWhenCurrentWrongThen400WithMessageAndUnchanged() {
        Account user = Fixtures.newUser();
        Browser browser = Pages.signIn(user);
        passwordForm(browser, "not my password", NEW_PASSWORD, NEW_PASSWORD).post("/account/password")
                .then().statusCode(400)
                .body(containsString("id=\"current_password-error\">Current password is incorrect."));
        Pages.signIn(user);
    }

    @Test
    void changePasswordWhenNewTooShortOrCommonThen400() {
        Account user = Fixtures.newUser();
        Browser browser = Pages.signIn(user);
        passwordForm(browser, user.password(), "short", "short").post("/account/password")
                .then().statusCode(400)
                .body(containsString("id=\"new_password-error\">New password must be at least 8 characters long."));
        passwordForm(browser, user.password(), "football1", "football1").post("/account/password")
                .then().statusCode(400)
                .body(containsString("id=\"new_password-error\">New password is one of the most common passwords"));
    }

    @Test
    void changePasswordWhenConfirmationDiffersThen400() {
        Account user = Fixtures.newUser();
        Browser browser = Pages.signIn(user);
        passwordForm(browser, user.password(), NEW_PASSWORD, NEW_PASSWORD + "!").post("/account/password")
                .then().statusCode(400)
                .body(containsString("New password confirmation does not match the new password."));
    }

    @Test
    void changePasswordWhenNoCsrfTokenThen403AndUnchanged() {
        Account user = Fixtures.newUser();
        Browser browser = Pages.signIn(user);
        browser.request().formParam("current_password", user.password())
                .formParam("new_password", NEW_PASSWORD)
                .formParam("new_password_confirmation", NEW_PASSWORD)
                .post("/account/password").then().statusCode(403);
        Pages.signIn(user);
    }

    @Test
    void changePasswordWhenNotSignedInThen303ToSignIn() {
        given().redirects().follow(false).formParam("_csrf", "x").formParam("current_password", "a")
                .post("/account/password").then().statusCode(303)
                .header("Location", containsString("/users/sign_in"));
    }
}
