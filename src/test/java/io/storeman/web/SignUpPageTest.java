package io.storeman.web;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
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

/**
 * /users/sign_up: the same rules as POST /api/v1/users, each failure a message beside its field; a new account is
 * signed in at once, under a new session id.
 */
@QuarkusTest
class SignUpPageTest {

    private static String uniqueEmail() {
        return "signup-" + UUID.randomUUID() + "@example.com";
    }

    private static Response signUpResponse(Visitor visitor, String email) {
        return signUpResponse(visitor, email, null);
    }

    /** A valid sign-up; {@code sessionCookie}, when given, is a session cookie the browser already holds. */
    private static Response signUpResponse(Visitor visitor, String email, String sessionCookie) {
        var request = visitor.request();
        if (sessionCookie != null) {
            request.cookie(Pages.SESSION_COOKIE, sessionCookie);
        }
        return request.formParam("_csrf", visitor.csrf())
                .formParam("email", email)
                .formParam("password", "a perfectly fine passphrase")
                .formParam("password_confirmation", "a perfectly fine passphrase")
                .post("/users/sign_up");
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
    void signUpWhenValidThenSignedInOnTheAccountPage() {
        String email = uniqueEmail();
        Response response = signUpResponse(Pages.visit("/users/sign_up"), email);
        response.then().statusCode(303).header("Location", endsWith("/account?notice=signed_up"));
        String session = response.getCookie(Pages.SESSION_COOKIE);
        assertNotNull(session, "the new account is signed in");
        String page = given().redirects().follow(false).cookie(Pages.SESSION_COOKIE, session)
                .get("/account?notice=signed_up").then().statusCode(200).extract().asString();
        assertEquals(email, Pages.textOf(page, "account-email"));
        assertTrue(page.contains("Welcome to Storeman. Your account is ready, and you are signed in."), page);
        // The signed-in forms take a token derived from the new session, not the sign-up form's.
        assertNotEquals(Pages.metaToken(page), Pages.visit("/users/sign_up").csrf());
        Pages.signIn(new Account(0, email, "a perfectly fine passphrase"));
    }

    @Test
    void signUpWhenTheBrowserHeldASessionThenANewSessionIdAndTheOldOneEnded() {
        Pages.Browser before = Pages.signIn(Fixtures.newUser());
        Visitor visitor = Pages.visit("/users/sign_up");
        Response response = signUpResponse(visitor, uniqueEmail(), before.sessionCookie());
        response.then().statusCode(303);
        String after = response.getCookie(Pages.SESSION_COOKIE);
        assertNotNull(after);
        assertNotEquals(before.sessionCookie(), after);
        before.request().get("/account").then().statusCode(303);

        // A session id planted in the browser before sign-up is not adopted either.
        String planted = "planted-" + UUID.randomUUID();
        Response fixated = signUpResponse(Pages.visit("/users/sign_up"), uniqueEmail(), planted);
        assertNotEquals(planted, fixated.getCookie(Pages.SESSION_COOKIE));
        given().redirects().follow(false).cookie(Pages.SESSION_COOKIE, planted).get("/account").then()
                .statusCode(303);
    }

    @Test
    void signUpWhenEmailTakenThenNoWarningInTheLog() {
        Account existing = Fixtures.newUser();
        List<LogRecord> warnings = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
                    warnings.add(record);
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger root = Logger.getLogger("");
        root.addHandler(capture);
        try {
            signUp(existing.email(), "a perfectly fine passphrase", "a perfectly fine passphrase").statusCode(409);
            given().contentType("application/json")
                    .body(Map.of("email", existing.email(), "password", "a perfectly fine passphrase"))
                    .post("/api/v1/users").then().statusCode(409);
        } finally {
            root.removeHandler(capture);
        }
        // A taken e-mail is an everyday answer: before, Hibernate logged each one as a WARN with the SQL error.
        assertEquals(List.of(), warnings.stream()
                .map(record -> record.getLoggerName() + ": " + record.getMessage()).toList());
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
