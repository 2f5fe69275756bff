package io.storeman.web;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import io.storeman.support.Fixtures;
import io.storeman.support.Fixtures.Account;
import io.storeman.support.Pages;
import io.storeman.support.Pages.Visitor;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/** /users/sign_up: the same rules as POST /api/v1/users, each failure a message beside its field. */
@QuarkusTest
class SignUpPageTest {

    private static String uniqueEmail() {
        return "signup-" + UUID.randomUUID() + "@example.com";
    }

    private static ValidatableResponse signUp(String email, String password, String confirmation) {
        Visitor visitor = Pages.visit("/users/sign_up");
        return visitor.request()
                .contentType("application/x-www-form-urlencoded; charset=UTF-8")
                .formParam("_csrf", visitor.csrf())
                .formParam("email", email)
                .formParam("password", password)
                .formParam("password_confirmation", confirmation)
                .post("/users/sign_up").then();
    }

    @Test
    void signUpPageWhenVisitedThenLabelledFields() {
        given().get("/users/sign_up").then().statusCode(200)
                .body(containsString("<label for=\"email\">E-mail</label>"))
                .body(containsString("<label for=\"password\">Password</label>"))
                .body(containsString("<label for=\"password_confirmation\">Password confirmation</label>"));
    }

    @Test
    void signUpWhenValidThen303ToSignInAndTheAccountWorks() {
        String email = uniqueEmail();
        signUp(email, "a perfectly fine passphrase", "a perfectly fine passphrase")
                .statusCode(303).header("Location", containsString("/users/sign_in?notice=signed_up"));
        Pages.signIn(new Account(0, email, "a perfectly fine passphrase"));
        given().get("/users/sign_in?notice=signed_up").then()
                .body(containsString("Your account is ready. Sign in to continue."));
    }

    @Test
    void signUpWhenBadEmailThen400WithMessageBesideTheField() {
        signUp("not-an-email", "a perfectly fine passphrase", "a perfectly fine passphrase")
                .statusCode(400)
                .body(containsString("id=\"email-error\">E-mail must be an e-mail address."))
                .body(containsString("aria-invalid=\"true\""))
                .body(containsString("value=\"not-an-email\""));
    }

    @Test
    void signUpWhenEmailHoldsNulThen400WithMessageAndNoAccount() {
        String email = uniqueEmail();
        signUp(email.replace("@", "\u0000@"), "a perfectly fine passphrase", "a perfectly fine passphrase")
                .statusCode(400)
                .contentType(containsString("text/html"))
                .body(containsString("id=\"email-error\">E-mail must be an e-mail address."));
    }

    @Test
    void signUpWhenEmailCraftedToBacktrackThen400InLinearTime() {
        String email = "a@" + ".".repeat(100_000) + "@";
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> signUp(email, "a perfectly fine passphrase",
                "a perfectly fine passphrase").statusCode(400)
                .body(containsString("id=\"email-error\">E-mail must be at most 254 characters long.")));
    }

    @Test
    void signUpWhenShortPasswordThen400() {
        signUp(uniqueEmail(), "short", "short").statusCode(400)
                .body(containsString("id=\"password-error\">Password must be at least 8 characters long."));
    }

    @Test
    void signUpWhenCommonPasswordThen400() {
        signUp(uniqueEmail(), "sunshine1", "sunshine1").statusCode(400)
                .body(containsString("id=\"password-error\">Password is one of the most common passwords"));
    }

    @Test
    void signUpWhenConfirmationDiffersThen400() {
        signUp(uniqueEmail(), "a perfectly fine passphrase", "a perfectly fine passfrase").statusCode(400)
                .body(containsString("id=\"password_confirmation-error\">Password confirmation does not match"));
    }

    @Test
    void signUpWhenEmailTakenThen409WithMessage() {
        Account existing = Fixtures.newUser();
        signUp(existing.email(), "a perfectly fine passphrase", "a perfectly fine passphrase").statusCode(409)
                .body(containsString("E-mail is already registered"));
    }

    @Test
    void signUpWhenEmailListedAsFirstPartyOwnerThen409LikeATakenEmail() {
        // Listed in the test profile, and never given an account (docs/security.md D9).
        signUp("Listed-Page@storeman.test", "a perfectly fine passphrase", "a perfectly fine passphrase")
                .statusCode(409)
                .body(containsString("E-mail is already registered"));
        given().auth().preemptive().basic("listed-page@storeman.test", "a perfectly fine passphrase")
                .get("/api/v1/oauth/applications").then().statusCode(401);
    }

    @Test
    void signUpWhenEmailHoldsBidiOrZeroWidthCharacterThen400WithMessage() {
        for (String disguised : new String[] {uniqueEmail().replace("@", "\u202e@"),
            uniqueEmail().replace("@", "\u200b@")}) {
            signUp(disguised, "a perfectly fine passphrase", "a perfectly fine passphrase")
                    .statusCode(400)
                    .body(containsString("id=\"email-error\">E-mail must be an e-mail address."));
        }
    }

    @Test
    void signUpWhenNoCsrfTokenThen403AndNoAccount() {
        String email = uniqueEmail();
        Visitor visitor = Pages.visit("/users/sign_up");
        visitor.request().formParam("email", email)
                .formParam("password", "a perfectly fine passphrase")
                .formParam("password_confirmation", "a perfectly fine passphrase")
                .post("/users/sign_up").then().statusCode(403).body(not(containsString("Exception")));
        given().auth().preemptive().basic(email, "a perfectly fine passphrase").get("/api/v1/oauth/applications")
                .then().statusCode(401);
    }
}
