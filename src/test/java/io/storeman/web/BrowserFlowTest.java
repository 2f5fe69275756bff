package io.storeman.web;

import io.storeman.support.Chromium;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import io.storeman.oauth.Scope;
import io.storeman.oauth.ScopeWords;
import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The API guide's steps in a real headless Chromium (Debian's chromium and chromium-driver, which .ci/run installs):
 * sign up (which signs in), create an application with two scopes, read its Client ID and secret off the page, get a
 * token with them and call the API; regenerate the secret and see the old one fail; revoke the application under
 * "Authorized applications" through its confirmation page and see its tokens refused. Every page visited is saved
 * to target/screenshots/. The test is skipped only when no Chromium is installed at all.
 */
@QuarkusTest
class BrowserFlowTest {

    private static final Path SCREENSHOTS = Chromium.SCREENSHOTS;
    private static final String PASSWORD = "browser test passphrase";

    @TestHTTPResource("/")
    URL base;

    private WebDriver driver;
    private WebDriverWait wait;
    private int shots;

    @BeforeEach
    void startBrowser() throws IOException {
        driver = Chromium.start();
        wait = new WebDriverWait(driver, Duration.ofSeconds(15));
    }

    @AfterEach
    void stopBrowser() {
        if (driver != null) {
            driver.quit();
        }
    }

    @Test
    void guideFlowWhenDoneInTheBrowserThenTokensWorkUntilSecretRegeneratedAndAccessRevoked() throws IOException {
        String email = "browser-" + UUID.randomUUID() + "@example.com";

        // Sign up (a first attempt with a common password shows the messages beside the fields).
        open("users/sign_up");
        shot("sign-up");
        type("email", email);
        type("password", "password1");
        type("password_confirmation", "password1");
        button("Sign up").click();
        assertTrue(text(By.id("password-error")).contains("most common passwords"));
        shot("sign-up-errors");
        type("password", PASSWORD);
        type("password_confirmation", PASSWORD);
        button("Sign up").click();

        // Signed in at once, on the account page.
        wait.until(ExpectedConditions.urlContains("/account?notice=signed_up"));
        assertTrue(text(By.cssSelector(".notice")).contains("Your account is ready"));
        assertEquals(email, text(By.id("account-email")));
        shot("account-and-settings");

        // OAuth applications > New > name, two scopes > Create application.
        driver.findElement(By.linkText("OAuth applications")).click();
        wait.until(ExpectedConditions.urlMatches(".*/account/oauth/applications$"));
        shot("oauth-applications-empty");
        driver.findElement(By.id("new-application")).click();
        wait.until(ExpectedConditions.urlContains("/new"));
        shot("new-application");
        type("name", "Browser test app");
        driver.findElement(By.id("scope-public")).click();
        driver.findElement(By.id("scope-read_items")).click();
        shot("new-application-filled");
        button("Create application").click();
        String clientId = text(By.id("client-id"));
        String secret = text(By.id("client-secret"));
        assertEquals(43, clientId.length());
        assertEquals(43, secret.length());
        driver.findElement(By.cssSelector("button[data-copy='client-secret']")).click();
        wait.until(d -> !d.findElement(By.cssSelector(".copy-status")).getText().isBlank());
        shot("application-created-with-secret");

        // A token with what the page showed, then the API.
        String firstToken = passwordGrant(clientId, secret, email).statusCode(200)
                .body("scope", equalTo("public read_items")).extract().path("access_token");
        me(firstToken).statusCode(200).body("email", equalTo(email));

        // Regenerate the secret: the old one fails, the new one works.
        driver.findElement(By.id("regenerate-secret")).click();
        driver.findElement(By.id("confirm-regenerate")).click();
        String newSecret = text(By.id("client-secret"));
        assertNotEquals(secret, newSecret);
        shot("secret-regenerated");
        passwordGrant(clientId, secret, email).statusCode(401).body("error", equalTo("invalid_client"));
        String secondToken = passwordGrant(clientId, newSecret, email).statusCode(200).extract().path("access_token");
        me(secondToken).statusCode(200);

        // The application's page later: Client ID, no secret. Its edit form.
        driver.navigate().refresh();
        open("account/oauth/applications");
        driver.findElement(By.linkText("Browser test app")).click();
        assertEquals(clientId, text(By.id("client-id")));
        assertTrue(driver.findElements(By.id("client-secret")).isEmpty(), "the secret is not shown again");
        shot("application");
        driver.findElement(By.id("edit-application")).click();
        shot("edit-application");
        driver.findElement(By.linkText("Cancel")).click();

        // Authorized applications > Revoke > "Revoke access": its tokens are refused at once.
        driver.findElement(By.linkText("Authorized applications")).click();
        wait.until(ExpectedConditions.urlContains("/account/authorized_applications"));
        assertTrue(driver.getPageSource().contains("Browser test app"));
        assertTrue(driver.getPageSource().contains(ScopeWords.describe(Scope.READ_ITEMS)), "permissions in words");
        shot("authorized-applications");
        driver.findElement(By.cssSelector("a[aria-label='Revoke Browser test app']")).click();
        wait.until(ExpectedConditions.urlContains("/revoke"));
        assertTrue(text(By.tagName("h1")).startsWith("Revoke access for"));
        me(firstToken).statusCode(200);
        shot("revoke-confirmation");
        driver.findElement(By.id("confirm-revoke")).click();
        wait.until(ExpectedConditions.urlContains("notice=authorization_revoked"));
        shot("authorization-revoked");
        me(firstToken).statusCode(401);
        me(secondToken).statusCode(401);

        // The list on a phone-sized screen.
        driver.manage().window().setSize(new Dimension(390, 844));
        open("account/oauth/applications");
        shot("oauth-applications-narrow");
        driver.manage().window().setSize(new Dimension(1280, 900));

        // Delete, with its confirmation page.
        driver.findElement(By.linkText("Browser test app")).click();
        driver.findElement(By.id("delete-application")).click();
        shot("delete-confirmation");
        driver.findElement(By.id("confirm-delete")).click();
        wait.until(ExpectedConditions.urlContains("notice=application_deleted"));
        shot("application-deleted");
        passwordGrant(clientId, newSecret, email).statusCode(401);

        // Someone else's (or no) application: a plain 404 page.
        open("account/oauth/applications/999999999");
        assertEquals("Not found", text(By.tagName("h1")));
        shot("not-found");

        // Sign out.
        button("Sign out").click();
        wait.until(ExpectedConditions.urlContains("notice=signed_out"));
        shot("signed-out");
        open("account");
        wait.until(ExpectedConditions.urlContains("/users/sign_in"));

        assertNoConsoleErrors();
    }

    private void open(String path) {
        driver.get(base.toString() + path);
    }

    private void type(String id, String value) {
        WebElement field = driver.findElement(By.id(id));
        field.clear();
        field.sendKeys(value);
    }

    private WebElement button(String label) {
        return driver.findElement(By.xpath("//button[normalize-space()='" + label + "']"));
    }

    private String text(By locator) {
        return wait.until(ExpectedConditions.visibilityOfElementLocated(locator)).getText().trim();
    }

    private void shot(String name) throws IOException {
        Path file = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE).toPath();
        Files.copy(file, SCREENSHOTS.resolve(String.format("%02d-%s.png", ++shots, name)),
                StandardCopyOption.REPLACE_EXISTING);
    }

    /**
     * The pages load their stylesheet and script under the content security policy, without script errors. (The
     * 400 and 404 pages the flow visits on purpose are logged as failed loads; those are expected.)
     */
    private void assertNoConsoleErrors() {
        List<LogEntry> errors = driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(entry -> entry.getLevel().intValue() >= Level.SEVERE.intValue())
                .filter(entry -> !entry.getMessage().contains("the server responded with a status of 4"))
                .toList();
        assertFalse(errors.stream().anyMatch(e -> e.getMessage().contains("Content Security Policy")),
                errors.toString());
        assertTrue(errors.isEmpty(), errors.toString());
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

    private static ValidatableResponse me(String accessToken) {
        return given().auth().oauth2(accessToken).get("/api/v1/me").then();
    }
}
