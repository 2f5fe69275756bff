package io.storeman.packaged;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.emptyString;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.storeman.support.Fixtures;
import io.storeman.support.Fixtures.Account;
import io.storeman.support.Fixtures.App;
import io.storeman.support.Pages;
import io.storeman.support.Pages.Browser;
import io.storeman.support.Pages.Visitor;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The web pages of the packaged application: sign-up and sign-in render and work, and every page template loads
 * from the artifact and renders (a 200 HTML page each), as does the common-passwords list the sign-up checks.
 */
@QuarkusIntegrationTest
class PagesIT {

    @Test
    void signUpWhenFormPostedThenAccountMadeAndSignedIn() {
        Visitor visitor = Pages.visit("/users/sign_up");
        String email = "packaged-" + UUID.randomUUID() + "@example.com";
        Response signedUp = visitor.request().formParam("_csrf", visitor.csrf())
                .formParam("email", email).formParam("password", Fixtures.PASSWORD)
                .formParam("password_confirmation", Fixtures.PASSWORD)
                .post("/users/sign_up");
        signedUp.then().statusCode(303);
        String session = signedUp.getCookie(Pages.SESSION_COOKIE);
        assertNotNull(session, "sign-up signs in");
        given().redirects().follow(false).cookie(Pages.SESSION_COOKIE, session).get("/account")
                .then().statusCode(200).body(containsString(email));
    }

    @Test
    void signInWhenFormPostedThenSessionAndAccountPage() {
        Account user = Fixtures.newUser();
        Browser browser = Pages.signIn(user);
        html(browser.request().get("/account")).body(containsString(user.email()));
    }

    @Test
    void signInWhenWrongPasswordThenFormAgainWithoutSession() {
        Account user = Fixtures.newUser();
        Visitor visitor = Pages.visit("/users/sign_in");
        Response refused = visitor.request().formParam("_csrf", visitor.csrf()).formParam("email", user.email())
                .formParam("password", "not the password at all").post("/users/sign_in");
        refused.then().statusCode(400).contentType(startsWith("text/html"))
                .body(containsString("Invalid e-mail or password."));
        assertNull(refused.getCookie(Pages.SESSION_COOKIE), "no session for a wrong password");
    }

    /** The common-passwords list is a resource of the artifact: the API and the page both find a common one. */
    @Test
    void signUpWhenCommonPasswordThenTooCommonFromTheApiAndThePage() {
        given().contentType(ContentType.JSON)
                .body(Map.of("email", "common-" + UUID.randomUUID() + "@example.com", "password", "iloveyou123"))
                .post("/api/v1/users")
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors.password", containsString("most common passwords"));
        Visitor visitor = Pages.visit("/users/sign_up");
        visitor.request().formParam("_csrf", visitor.csrf())
                .formParam("email", "common-" + UUID.randomUUID() + "@example.com")
                .formParam("password", "sunshine1").formParam("password_confirmation", "sunshine1")
                .post("/users/sign_up")
                .then().statusCode(400).contentType(startsWith("text/html"))
                .body(containsString("id=\"password-error\">Password is one of the most common passwords"));
    }

    /** Every template under templates/ renders from the artifact: each page answers 200 with its HTML. */
    @Test
    void everyPageWhenRequestedThenItsTemplateRenders() {
        html(given().redirects().follow(false).get("/users/sign_in")).body(containsString("name=\"_csrf\""));
        html(given().redirects().follow(false).get("/users/sign_up"))
                .body(containsString("name=\"password_confirmation\""));

        Account user = Fixtures.newUser();
        App app = Fixtures.newApp(user, Fixtures.ALL_SCOPES);
        // A token makes the application one the user has authorized.
        Fixtures.passwordTokens(app, user, "public");
        long secretId = given().auth().preemptive().basic(user.email(), user.password())
                .get("/api/v1/oauth/applications/" + app.id() + "/secrets")
                .then().statusCode(200).extract().jsonPath().getLong("[0].id");
        Browser browser = Pages.signIn(user);

        String applications = "/account/oauth/applications";
        html(browser.request().get("/account")).body(containsString("name=\"current_password\""));
        html(browser.request().get("/users/sign_out")).body(containsString("action=\"/users/sign_out\""));
        html(browser.request().get(applications)).body(containsString("Test app"));
        html(browser.request().get(applications + "/new")).body(containsString("name=\"name\""));
        html(browser.request().get(applications + "/" + app.id())).body(containsString(app.clientId()));
        html(browser.request().get(applications + "/" + app.id() + "/edit")).body(containsString("Test app"));
        html(browser.request().get(applications + "/" + app.id() + "/delete")).body(containsString("Test app"));
        html(browser.request().get(applications + "/" + app.id() + "/secret")).body(containsString("Test app"));
        html(browser.request().get(applications + "/" + app.id() + "/secrets/" + secretId + "/delete"))
                .body(containsString("Test app"));
        html(browser.request().get("/account/authorized_applications")).body(containsString("Test app"));
        html(browser.request().get("/account/authorized_applications/" + app.clientId() + "/revoke"))
                .body(containsString("Test app"));

        // The consent page (templates/AuthorizePage) renders in CodeFlowIT; the error page answers its own status.
        given().accept("text/html").get("/no-such-page").then().statusCode(404)
                .contentType(startsWith("text/html")).body(containsString("<html"));
    }

    /** The layout's stylesheet and script are static resources of the artifact (META-INF/resources). */
    @Test
    void assetsWhenRequestedThenServedFromTheArtifact() {
        given().get("/users/sign_in").then().statusCode(200)
                .body(containsString("href=\"/assets/storeman.css\""))
                .body(containsString("src=\"/assets/storeman.js\""));
        given().get("/assets/storeman.css").then().statusCode(200).contentType(startsWith("text/css"))
                .body(not(emptyString()));
        given().get("/assets/storeman.js").then().statusCode(200).body(not(emptyString()));
    }

    private static io.restassured.response.ValidatableResponse html(Response response) {
        return response.then().statusCode(200).contentType(startsWith("text/html"));
    }
}
