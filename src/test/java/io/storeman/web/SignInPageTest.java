package io.storeman.web;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.storeman.common.Secrets;
import io.storeman.ops.Housekeeping;
import io.storeman.support.Fixtures;
import io.storeman.support.Fixtures.Account;
import io.storeman.support.Fixtures.App;
import io.storeman.support.Pages;
import io.storeman.support.Pages.Browser;
import io.storeman.support.Pages.Visitor;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** /users/sign_in and /users/sign_out: sessions, cookies, CSRF, and the shared brute-force limits. */
@QuarkusTest
class SignInPageTest {

    @Inject
    Pool pool;

    @Inject
    Housekeeping housekeeping;

    private long sessionRows(String column, String value) {
        return pool.preparedQuery("select count(*) from web_sessions where " + column + " = $1")
                .execute(Tuple.of(value))
                .map(rows -> rows.iterator().next().getLong(0))
                .await().atMost(Duration.ofSeconds(10));
    }

    private static Response postSignIn(Visitor visitor, String email, String password) {
        return visitor.request()
                .contentType("application/x-www-form-urlencoded; charset=UTF-8")
                .formParam("_csrf", visitor.csrf())
                .formParam("email", email)
                .formParam("password", password)
                .post("/users/sign_in");
    }

    @Test
    void signInPageWhenVisitedThenFormWithLabelsCsrfAndPreSessionCookie() {
        Response page = given().redirects().follow(false).get("/users/sign_in");
        page.then().statusCode(200)
                .contentType(containsString("text/html"))
                .header("Cache-Control", "no-store")
                .header("Content-Security-Policy", containsString("default-src 'none'"))
                .header("X-Frame-Options", "SAMEORIGIN")
                .body(containsString("<label for=\"email\">E-mail</label>"))
                .body(containsString("<label for=\"password\">Password</label>"))
                .body(containsString("name=\"_csrf\""))
                .body(containsString("href=\"/assets/storeman.css\""));
        String setCookie = page.getHeader("Set-Cookie");
        assertTrue(setCookie.startsWith(Pages.PRE_SESSION_COOKIE + "="), setCookie);
        assertTrue(setCookie.toLowerCase().contains("; httponly"), setCookie);
        assertTrue(setCookie.toLowerCase().contains("; samesite=lax"), setCookie);
    }

    @Test
    void signInWhenEmailTypedAsALookAlikeThenTheSameAccount() {
        Account user = Fixtures.newUser();
        String fullwidth = user.email().chars().mapToObj(c -> Character.toString(c + 0xFEE0))
                .reduce("", String::concat);
        for (String typed : new String[] {fullwidth, "\u00a0" + user.email().toUpperCase() + "\u3000"}) {
            postSignIn(Pages.visit("/users/sign_in"), typed, user.password())
                    .then().statusCode(303).header("Location", endsWith("/account"));
        }
    }

    @Test
    void signInWhenRightPasswordThen303ToAccountWithHttpOnlyLaxSessionCookie() {
        Account user = Fixtures.newUser();
        Response response = postSignIn(Pages.visit("/users/sign_in"), user.email(), user.password());
        response.then().statusCode(303).header("Location", endsWith("/account"));
        String setCookie = response.getHeader("Set-Cookie").toLowerCase();
        assertTrue(setCookie.startsWith(Pages.SESSION_COOKIE + "="), setCookie);
        assertTrue(setCookie.contains("; httponly"), setCookie);
        assertTrue(setCookie.contains("; samesite=lax"), setCookie);
        assertTrue(setCookie.contains("; path=/"), setCookie);
        assertFalse(setCookie.contains("; secure"), "test runs on plain HTTP (storeman.web.secure-cookies=false)");
        given().redirects().follow(false).cookie(Pages.SESSION_COOKIE, response.getCookie(Pages.SESSION_COOKIE))
                .get("/account").then().statusCode(200).body(containsString(user.email()));
    }

    @Test
    void signInWhenEmailInOtherCaseThenSignedIn() {
        Account user = Fixtures.newUser();
        postSignIn(Pages.visit("/users/sign_in"), user.email().toUpperCase(), user.password()).then().statusCode(303);
    }

    @Test
    void sessionWhenStoredThenOnlyTheHashOfItsIdIsInTheDatabase() {
        Browser browser = Pages.signIn(Fixtures.newUser());
        assertEquals(1, sessionRows("token_hash", Secrets.sha256(browser.sessionCookie())));
        assertEquals(0, sessionRows("token_hash", browser.sessionCookie()));
    }

    @Test
    void signInWhenWrongPasswordOrUnknownUserThenSameAnswer() {
        Account user = Fixtures.newUser();
        Response wrong = postSignIn(Pages.visit("/users/sign_in"), user.email(), "not the password");
        Response unknown = postSignIn(Pages.visit("/users/sign_in"), "nobody-" + user.email(), "not the password");
        wrong.then().statusCode(400).body(containsString("Invalid e-mail or password."));
        unknown.then().statusCode(400).body(containsString("Invalid e-mail or password."));
        assertEquals(null, wrong.getCookie(Pages.SESSION_COOKIE));
        assertEquals(wrong.asString().replaceAll("value=\"[^\"]*\"", ""),
                unknown.asString().replaceAll("value=\"[^\"]*\"", ""));
    }

    @Test
    void signInWhenFieldsMissingThen400() {
        Visitor visitor = Pages.visit("/users/sign_in");
        visitor.request().formParam("_csrf", visitor.csrf()).post("/users/sign_in").then().statusCode(400)
                .body(containsString("Enter your e-mail and password."));
    }

    @Test
    void signInWhenNoCsrfTokenThen403AndNoSession() {
        Account user = Fixtures.newUser();
        Visitor visitor = Pages.visit("/users/sign_in");
        Response response = visitor.request()
                .formParam("email", user.email())
                .formParam("password", user.password())
                .post("/users/sign_in");
        response.then().statusCode(403).body(containsString("The form expired"));
        assertEquals(null, response.getCookie(Pages.SESSION_COOKIE));
    }

    @Test
    void signInWhenTokenOfAnotherBrowserThen403() {
        Account user = Fixtures.newUser();
        Visitor mine = Pages.visit("/users/sign_in");
        Visitor attacker = Pages.visit("/users/sign_in");
        mine.request().formParam("_csrf", attacker.csrf())
                .formParam("email", user.email()).formParam("password", user.password())
                .post("/users/sign_in").then().statusCode(403);
    }

    @Test
    void signInWhenNoPreSessionCookieThen403() {
        Account user = Fixtures.newUser();
        Visitor visitor = Pages.visit("/users/sign_in");
        given().redirects().follow(false).formParam("_csrf", visitor.csrf())
                .formParam("email", user.email()).formParam("password", user.password())
                .post("/users/sign_in").then().statusCode(403);
    }

    @Test
    void signInWhenFailuresThenTheySlowThePasswordGrantToo() {
        Account user = Fixtures.newUser();
        App app = Fixtures.newApp(user, "public");
        for (int i = 0; i < 5; i++) {
            postSignIn(Pages.visit("/users/sign_in"), user.email(), "guess " + i).then().statusCode(400);
        }
        Fixtures.passwordGrant(app, user, null).statusCode(400).body("error", equalTo("invalid_grant"));
        postSignIn(Pages.visit("/users/sign_in"), user.email(), user.password()).then().statusCode(400)
                .body(containsString("Invalid e-mail or password."));
    }

    @Test
    void signInWhenNextIsAnAccountPageThenRedirectedThere() {
        Account user = Fixtures.newUser();
        Visitor visitor = Pages.visit("/users/sign_in?next=/account/oauth/applications");
        visitor.signIn(user, "/account/oauth/applications").then().statusCode(303)
                .header("Location", endsWith("/account/oauth/applications"));
    }

    @Test
    void signInWhenNextIsElsewhereThenRedirectedToAccountOnly() {
        Account user = Fixtures.newUser();
        for (String next : new String[] {"https://evil.example/", "//evil.example/account", "/account/../oauth",
                "/accountX"}) {
            Visitor visitor = Pages.visit("/users/sign_in");
            visitor.signIn(user, next).then().statusCode(303)
                    .header("Location", endsWith("/account"))
                    .header("Location", not(containsString("evil")));
        }
    }

    @Test
    void accountPageWhenNotSignedInThen303ToSignInWithNext() {
        given().redirects().follow(false).get("/account/oauth/applications").then().statusCode(303)
                .header("Location", containsString("/users/sign_in?next=%2Faccount%2Foauth%2Fapplications"));
    }

    @Test
    void signInPageWhenAlreadySignedInThen303ToAccount() {
        Browser browser = Pages.signIn(Fixtures.newUser());
        browser.request().get("/users/sign_in").then().statusCode(303).header("Location", endsWith("/account"));
        browser.request().get("/users/sign_up").then().statusCode(303).header("Location", endsWith("/account"));
        browser.request().queryParam("next", "/account/authorized_applications").get("/users/sign_up").then()
                .statusCode(303)
                .header("Location", endsWith("/account/authorized_applications"));
    }

    @Test
    void signOutWhenCsrfTokenThenSessionEndsEverywhereAndCookieCleared() {
        Browser browser = Pages.signIn(Fixtures.newUser());
        Response response = browser.request().formParam("_csrf", browser.csrf()).post("/users/sign_out");
        response.then().statusCode(303).header("Location", containsString("/users/sign_in?notice=signed_out"));
        assertTrue(response.getHeader("Set-Cookie").contains("Max-Age=0"), response.getHeader("Set-Cookie"));
        browser.request().get("/account").then().statusCode(303);
        assertEquals(0, sessionRows("token_hash", Secrets.sha256(browser.sessionCookie())));
    }

    @Test
    void signOutLinkWhenFollowedThenAPageWithTheFormAndStillSignedIn() {
        Browser browser = Pages.signIn(Fixtures.newUser());
        String page = browser.request().get("/users/sign_out").then().statusCode(200)
                .contentType(containsString("text/html"))
                .header("Cache-Control", "no-store")
                .header("Content-Security-Policy", containsString("form-action 'self'"))
                .extract().asString();
        // A link or an image pointing here changes nothing (docs/security.md X4): the page only offers the form.
        assertTrue(page.contains("<h1>Sign out of Storeman?</h1>"), page);
        int form = page.indexOf("<form method=\"post\" action=\"/users/sign_out\">\n    <input type=\"hidden\" "
                + "name=\"_csrf\" value=\"" + browser.csrf() + "\">");
        assertTrue(form > 0, page);
        assertTrue(page.indexOf("id=\"confirm-sign-out\"", form) > form, page);
        browser.request().get("/account").then().statusCode(200);
        assertEquals(1, sessionRows("token_hash", Secrets.sha256(browser.sessionCookie())));
    }

    @Test
    void signOutLinkWhenNotSignedInThen303ToSignIn() {
        given().redirects().follow(false).get("/users/sign_out").then().statusCode(303)
                .header("Location", endsWith("/users/sign_in"));
    }

    @Test
    void signOutWhenNextGivenThenSignInPageCarriesOnlyASafeOne() {
        String next = "/oauth/authorize?response_type=code&client_id=abc";
        Browser browser = Pages.signIn(Fixtures.newUser());
        browser.request().formParam("_csrf", browser.csrf()).formParam("next", next).post("/users/sign_out")
                .then().statusCode(303)
                .header("Location", endsWith("/users/sign_in?next=%2Foauth%2Fauthorize%3Fresponse_type%3Dcode%26"
                        + "client_id%3Dabc&notice=signed_out"));
        Browser other = Pages.signIn(Fixtures.newUser());
        other.request().formParam("_csrf", other.csrf()).formParam("next", "https://evil.example/")
                .post("/users/sign_out")
                .then().statusCode(303)
                .header("Location", endsWith("/users/sign_in?notice=signed_out"));
    }

    @Test
    void signOutWhenNoCsrfTokenThen403AndStillSignedIn() {
        Browser browser = Pages.signIn(Fixtures.newUser());
        browser.request().post("/users/sign_out").then().statusCode(403);
        browser.request().get("/account").then().statusCode(200);
    }

    @Test
    void sessionWhenExpiredThenSignedOut() {
        Browser browser = Pages.signIn(Fixtures.newUser());
        pool.preparedQuery("update web_sessions set expires_at = now() - interval '1 second' where token_hash = $1")
                .execute(Tuple.of(Secrets.sha256(browser.sessionCookie()))).await().atMost(Duration.ofSeconds(10));
        browser.request().get("/account").then().statusCode(303);
    }

    @Test
    void sessionWhenIdleThenItsDeadlineMovesButNeverPastTheMaximumAge() {
        Browser browser = Pages.signIn(Fixtures.newUser());
        String hash = Secrets.sha256(browser.sessionCookie());
        pool.preparedQuery("update web_sessions set last_seen_at = now() - interval '10 minutes',"
                + " created_at = now() - interval '11 hours 59 minutes 30 seconds' where token_hash = $1")
                .execute(Tuple.of(hash)).await().atMost(Duration.ofSeconds(10));
        browser.request().get("/account").then().statusCode(200);
        long secondsLeft = pool.preparedQuery("select extract(epoch from expires_at - now())::bigint"
                        + " from web_sessions where token_hash = $1")
                .execute(Tuple.of(hash))
                .map(rows -> rows.iterator().next().getLong(0))
                .await().atMost(Duration.ofSeconds(10));
        assertTrue(secondsLeft <= 30, "capped by the 12-hour maximum age, " + secondsLeft + " s left");
    }

    @Test
    void signInWhenAlreadyHoldingASessionThenNewSessionIdAndTheOldOneEnded() {
        Account user = Fixtures.newUser();
        Browser before = Pages.signIn(user);
        Visitor visitor = Pages.visit("/users/sign_in");
        Response response = visitor.request().cookie(Pages.SESSION_COOKIE, before.sessionCookie())
                .formParam("_csrf", visitor.csrf())
                .formParam("email", user.email())
                .formParam("password", user.password())
                .post("/users/sign_in");
        response.then().statusCode(303);
        String after = response.getCookie(Pages.SESSION_COOKIE);
        assertFalse(after.equals(before.sessionCookie()));
        before.request().get("/account").then().statusCode(303);
        given().redirects().follow(false).cookie(Pages.SESSION_COOKIE, after).get("/account").then().statusCode(200);
    }

    @Test
    void housekeepingWhenSessionExpiredThenItsRowIsDeleted() {
        Browser browser = Pages.signIn(Fixtures.newUser());
        String hash = Secrets.sha256(browser.sessionCookie());
        pool.preparedQuery("update web_sessions set expires_at = now() - interval '1 minute' where token_hash = $1")
                .execute(Tuple.of(hash)).await().atMost(Duration.ofSeconds(10));
        for (int round = 0; round < 5 && sessionRows("token_hash", hash) > 0; round++) {
            housekeeping.run().await().atMost(Duration.ofSeconds(30));
        }
        assertEquals(0, sessionRows("token_hash", hash));
    }

    @Test
    void stylesheetAndScriptWhenRequestedThenServedByTheApp() {
        given().get("/assets/storeman.css").then().statusCode(200).contentType(containsString("text/css"));
        given().get("/assets/storeman.js").then().statusCode(200).contentType(containsString("javascript"));
    }
}
