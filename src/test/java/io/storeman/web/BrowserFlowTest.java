package io.storeman.web;

import static io.restassured.RestAssured.given;
import static io.storeman.support.Fixtures.me;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import io.storeman.oauth.Scope;
import io.storeman.oauth.ScopeWords;
import io.storeman.support.Chromium;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * The API guide's steps in a real headless Chromium (Debian's chromium and chromium-driver, which .ci/run installs):
 * sign up (which signs in), create an application with two scopes, read its Client ID and secret off the page, get a
 * token with them and call the API; regenerate the secret and see the old one fail; revoke the application under
 * "Authorized applications" through its confirmation page and see its tokens refused. Every page visited is saved
 * to target/screenshots/. The test is skipped only when no Chromium is installed at all.
 */
@QuarkusTest
class BrowserFlowTest {

    private static final String PASSWORD = "browser test passphrase";

    @RegisterExtension
    static final Chromium browser = new Chromium("flow");

    @Test
    void guideFlowWhenDoneInTheBrowserThenTokensWorkUntilSecretRegeneratedAndAccessRevoked() {
        WebDriver driver = browser.driver();
        String email = "browser-" + UUID.randomUUID() + "@example.com";

        // Sign up (a first attempt with a common password shows the messages beside the fields).
        browser.open("users/sign_up");
        browser.screenshot("sign-up");
        browser.type("email", email);
        browser.type("password", "password1");
        browser.type("password_confirmation", "password1");
        browser.button("Sign up").click();
        assertTrue(browser.text(By.id("password-error")).contains("most common passwords"));
        browser.screenshot("sign-up-errors");
        browser.type("password", PASSWORD);
        browser.type("password_confirmation", PASSWORD);
        browser.button("Sign up").click();

        // Signed in at once, on the account page.
        browser.until(ExpectedConditions.urlContains("/account?notice=signed_up"));
        assertTrue(browser.text(By.cssSelector(".notice")).contains("Your account is ready"));
        assertEquals(email, browser.text(By.id("account-email")));
        browser.screenshot("account-and-settings");

        // OAuth applications > New > name, two scopes > Create application.
        driver.findElement(By.linkText("OAuth applications")).click();
        browser.until(ExpectedConditions.urlMatches(".*/account/oauth/applications$"));
        browser.screenshot("oauth-applications-empty");
        driver.findElement(By.id("new-application")).click();
        browser.until(ExpectedConditions.urlContains("/new"));
        browser.screenshot("new-application");
        browser.type("name", "Browser test app");
        driver.findElement(By.id("scope-public")).click();
        driver.findElement(By.id("scope-read_items")).click();
        browser.screenshot("new-application-filled");
        browser.button("Create application").click();
        String clientId = browser.text(By.id("client-id"));
        String secret = browser.text(By.id("client-secret"));
        assertEquals(43, clientId.length());
        assertEquals(43, secret.length());
        driver.findElement(By.cssSelector("button[data-copy='client-secret']")).click();
        browser.until(d -> !d.findElement(By.cssSelector(".copy-status")).getText().isBlank());
        browser.screenshot("application-created-with-secret");

        // A token with what the page showed, then the API.
        String firstToken = passwordGrant(clientId, secret, email).statusCode(200)
                .body("scope", equalTo("public read_items")).extract().path("access_token");
        me(firstToken).statusCode(200).body("email", equalTo(email));

        // Regenerate the secret: the old one fails, the new one works.
        driver.findElement(By.id("regenerate-secret")).click();
        driver.findElement(By.id("confirm-regenerate")).click();
        String newSecret = browser.text(By.id("client-secret"));
        assertNotEquals(secret, newSecret);
        browser.screenshot("secret-regenerated");
        passwordGrant(clientId, secret, email).statusCode(401).body("error", equalTo("invalid_client"));
        String secondToken = passwordGrant(clientId, newSecret, email).statusCode(200).extract().path("access_token");
        me(secondToken).statusCode(200);

        // The application's page later: Client ID, no secret. Its edit form.
        driver.navigate().refresh();
        browser.open("account/oauth/applications");
        driver.findElement(By.linkText("Browser test app")).click();
        assertEquals(clientId, browser.text(By.id("client-id")));
        assertTrue(driver.findElements(By.id("client-secret")).isEmpty(), "the secret is not shown again");
        browser.screenshot("application");
        driver.findElement(By.id("edit-application")).click();
        browser.screenshot("edit-application");
        driver.findElement(By.linkText("Cancel")).click();

        // Authorized applications > Revoke > "Revoke access": its tokens are refused at once.
        driver.findElement(By.linkText("Authorized applications")).click();
        browser.until(ExpectedConditions.urlContains("/account/authorized_applications"));
        assertTrue(driver.getPageSource().contains("Browser test app"));
        assertTrue(driver.getPageSource().contains(ScopeWords.describe(Scope.READ_ITEMS)), "permissions in words");
        browser.screenshot("authorized-applications");
        driver.findElement(By.cssSelector("a[aria-label='Revoke Browser test app']")).click();
        browser.until(ExpectedConditions.urlContains("/revoke"));
        assertTrue(browser.text(By.tagName("h1")).startsWith("Revoke access for"));
        me(firstToken).statusCode(200);
        browser.screenshot("revoke-confirmation");
        driver.findElement(By.id("confirm-revoke")).click();
        browser.until(ExpectedConditions.urlContains("notice=authorization_revoked"));
        browser.screenshot("authorization-revoked");
        me(firstToken).statusCode(401);
        me(secondToken).statusCode(401);

        // The list, at a laptop's and a phone's size.
        browser.open("account/oauth/applications");
        browser.screenshot("oauth-applications");

        // Delete, with its confirmation page.
        driver.findElement(By.linkText("Browser test app")).click();
        driver.findElement(By.id("delete-application")).click();
        browser.screenshot("delete-confirmation");
        driver.findElement(By.id("confirm-delete")).click();
        browser.until(ExpectedConditions.urlContains("notice=application_deleted"));
        browser.screenshot("application-deleted");
        passwordGrant(clientId, newSecret, email).statusCode(401);

        // Someone else's (or no) application: a plain 404 page.
        browser.open("account/oauth/applications/999999999");
        assertEquals("Not found", browser.text(By.tagName("h1")));
        browser.screenshot("not-found");

        // Sign out.
        browser.button("Sign out").click();
        browser.until(ExpectedConditions.urlContains("notice=signed_out"));
        browser.screenshot("signed-out");
        browser.open("account");
        browser.until(ExpectedConditions.urlContains("/users/sign_in"));

        browser.assertNoConsoleErrors();
    }

    private static ValidatableResponse passwordGrant(String clientId, String secret, String email) {
        return given().formParam("grant_type", "password")
                .formParam("username", email)
                .formParam("password", PASSWORD)
                .formParam("client_id", clientId)
                .formParam("client_secret", secret)
                .formParam("scope", "public read_items")
                .post("/oauth/token").then();
    }

}
