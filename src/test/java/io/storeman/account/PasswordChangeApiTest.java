package io.storeman.account;

import static io.restassured.RestAssured.given;
import static io.storeman.support.Fixtures.me;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.storeman.support.Fixtures;
import io.storeman.support.Fixtures.Account;
import io.storeman.support.Fixtures.App;
import io.storeman.support.Fixtures.Tokens;
import io.storeman.support.Pages;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** PUT /api/v1/me/password, and the password rules shared with POST /api/v1/users. */
@QuarkusTest
class PasswordChangeApiTest {

    private static final String NEW_PASSWORD = "a brand new passphrase";

    private static ValidatableResponse change(Account account, Object body) {
        return given().auth().preemptive().basic(account.email(), account.password())
                .contentType(ContentType.JSON).body(body).put("/api/v1/me/password").then();
    }

    private static void invalid(ValidatableResponse response, String field) {
        response.statusCode(400).contentType("application/problem+json").body("errors." + field, notNullValue());
    }

    @Test
    void changeWhenCurrentPasswordRightThen204AndOnlyTheNewPasswordWorks() {
        Account user = Fixtures.newUser();
        change(user, Map.of("current_password", user.password(), "new_password", NEW_PASSWORD)).statusCode(204);
        given().auth().preemptive().basic(user.email(), user.password()).get("/api/v1/oauth/applications")
                .then().statusCode(401);
        given().auth().preemptive().basic(user.email(), NEW_PASSWORD).get("/api/v1/oauth/applications")
                .then().statusCode(200);
    }

    @Test
    void changeWhenDoneThenEveryTokenOfTheUserRefusedAtOnce() {
        Account user = Fixtures.newUser();
        App first = Fixtures.newApp(user, "public");
        App second = Fixtures.newApp(user, "public");
        Tokens one = Fixtures.passwordTokens(first, user, null);
        Tokens two = Fixtures.passwordTokens(second, user, null);
        Account bystander = Fixtures.newUser();
        Tokens theirs = Fixtures.passwordTokens(Fixtures.newApp(bystander, "public"), bystander, null);

        change(user, Map.of("current_password", user.password(), "new_password", NEW_PASSWORD)).statusCode(204);

        me(one.accessToken()).statusCode(401);
        me(two.accessToken()).statusCode(401);
        Fixtures.refresh(first, one.refreshToken(), null).statusCode(400).body("error", equalTo("invalid_grant"));
        me(theirs.accessToken()).statusCode(200);
    }

    @Test
    void changeWhenCurrentPasswordWrongThen400AndPasswordUnchanged() {
        Account user = Fixtures.newUser();
        invalid(change(user, Map.of("current_password", "not my password", "new_password", NEW_PASSWORD)),
                "current_password");
        given().auth().preemptive().basic(user.email(), user.password()).get("/api/v1/oauth/applications")
                .then().statusCode(200);
    }

    @Test
    void changeWhenCurrentPasswordMissingThen400() {
        invalid(change(Fixtures.newUser(), Map.of("new_password", NEW_PASSWORD)), "current_password");
    }

    @Test
    void changeWhenNewPasswordShortThen400() {
        Account user = Fixtures.newUser();
        invalid(change(user, Map.of("current_password", user.password(), "new_password", "short")), "new_password");
    }

    @Test
    void changeWhenNewPasswordCommonThen400() {
        Account user = Fixtures.newUser();
        invalid(change(user, Map.of("current_password", user.password(), "new_password", "Password123")),
                "new_password");
        invalid(change(user, Map.of("current_password", user.password(), "new_password", "qwertyuiop")),
                "new_password");
    }

    @Test
    void changeWhenNewPasswordMissingThen400() {
        Account user = Fixtures.newUser();
        invalid(change(user, Map.of("current_password", user.password())), "new_password");
    }

    @Test
    void changeWhenNewPasswordSameAsCurrentThen400() {
        Account user = Fixtures.newUser();
        invalid(change(user, Map.of("current_password", user.password(), "new_password", user.password())),
                "new_password");
    }

    @Test
    void changeWhenNoBodyThen400() {
        Account user = Fixtures.newUser();
        given().auth().preemptive().basic(user.email(), user.password()).contentType(ContentType.JSON)
                .put("/api/v1/me/password").then().statusCode(400).contentType("application/problem+json");
    }

    @Test
    void changeWhenNotAuthenticatedThen401() {
        given().contentType(ContentType.JSON)
                .body(Map.of("current_password", "whatever it is", "new_password", NEW_PASSWORD))
                .put("/api/v1/me/password").then().statusCode(401).header("WWW-Authenticate", notNullValue());
    }

    @Test
    void changeWhenThroughTheSessionThenThisSessionStaysAndOthersEnd() {
        Account user = Fixtures.newUser();
        Pages.Browser here = Pages.signIn(user);
        Pages.Browser elsewhere = Pages.signIn(user);
        here.request().header("X-CSRF-Token", here.csrf()).contentType(ContentType.JSON)
                .body(Map.of("current_password", user.password(), "new_password", NEW_PASSWORD))
                .put("/api/v1/me/password").then().statusCode(204);
        here.request().get("/account").then().statusCode(200);
        elsewhere.request().get("/account").then().statusCode(303);
    }

    @Test
    void changeWhenSessionWithoutCsrfHeaderThen403AndUnchanged() {
        Account user = Fixtures.newUser();
        Pages.Browser browser = Pages.signIn(user);
        browser.request().contentType(ContentType.JSON)
                .body(Map.of("current_password", user.password(), "new_password", NEW_PASSWORD))
                .put("/api/v1/me/password").then().statusCode(403);
        given().auth().preemptive().basic(user.email(), user.password()).get("/api/v1/oauth/applications")
                .then().statusCode(200);
    }

    @Test
    void registerWhenCommonPasswordThen400() {
        given().contentType(ContentType.JSON)
                .body(Map.of("email", "common-" + System.nanoTime() + "@example.com", "password", "iloveyou123"))
                .post("/api/v1/users")
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors.password", notNullValue());
    }
}
