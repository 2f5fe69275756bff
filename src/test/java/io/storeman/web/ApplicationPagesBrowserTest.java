package io.storeman.web;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import io.storeman.support.Chromium;
import io.storeman.support.Fixtures;
import io.storeman.support.Fixtures.Account;
import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The application pages in headless Chromium (docs/security.md D10, D11): after every form that changes something
 * the page is reloaded, and then the browser goes back and forward, and nothing is made twice and no secret shows
 * again; every confirmation is clicked through. Each page is saved at 1280x800 and 390x844 to
 * target/screenshots/applications-*.png, with a full-length copy of each (-full) to see what lies below the fold.
 */
@QuarkusTest
class ApplicationPagesBrowserTest {

    private static final Dimension DESKTOP = new Dimension(1280, 800);
    private static final Dimension PHONE = new Dimension(390, 844);

    @TestHTTPResource("/")
    URL base;

    private WebDriver driver;
    private WebDriverWait wait;
    private int shots;
    private Account user;

    @BeforeEach
    void startBrowser() throws IOException {
        driver = Chromium.start();
        driver.manage().window().setSize(DESKTOP);
        wait = new WebDriverWait(driver, Duration.ofSeconds(15));
    }

    @AfterEach
    void stopBrowser() {
        if (driver != null) {
            driver.quit();
        }
    }

    @Test
    void everyFormWhenReloadedOrRevisitedThenNothingRepeatsAndNoSecretShowsAgain() throws IOException {
        user = Fixtures.newUser();
        signIn();

        // New application: a refused post first (no scope), then the full-width options.
        open("account/oauth/applications/new");
        shots("new-application");
        type("name", "Browser secrets app");
        button("Create application").click();
        assertEquals("Choose at least one scope.", text(By.id("scopes-error")));
        assertEquals("true", driver.findElement(By.id("scope-public")).getAttribute("aria-invalid"));
        shots("new-application-no-scope");
        // A fresh form: the refused post above answered 400 with the form, and is not what "back" should find.
        open("account/oauth/applications/new");
        type("name", "Browser secrets app");
        // The whole option is the tap target: its description, far from the box, ticks it.
        driver.findElement(By.xpath("//input[@id='scope-read_items']/following-sibling::span"
                + "//span[@class='choice-description']")).click();
        assertTrue(driver.findElement(By.id("scope-read_items")).isSelected());
        assertTrue(driver.findElement(By.id("scope-read_items")).findElement(By.xpath("..")).getSize()
                .getHeight() >= 44, "a tap target of at least 44 px");
        driver.findElement(By.id("scope-public")).click();
        button("Create application").click();

        wait.until(ExpectedConditions.urlContains("notice=application_created"));
        String clientId = text(By.id("client-id"));
        String first = text(By.id("client-secret"));
        assertTrue(driver.findElement(By.id("no-redirect-uri")).isDisplayed(), "the missing redirect URI is warned");
        shots("application-created");
        tokenFor(clientId, first).statusCode(200);
        reloadedWithoutSecret(first);
        driver.navigate().back();
        wait.until(ExpectedConditions.urlContains("/new"));
        driver.navigate().forward();
        wait.until(ExpectedConditions.urlContains("notice=application_created"));
        assertSecretNotShown(first);
        assertEquals(1, applications().size(), "a reload, back or forward made another application");
        long id = ((Number) applications().get(0).get("id")).longValue();
        shots("application");

        // Add a second secret: both work side by side.
        driver.findElement(By.id("add-secret")).click();
        wait.until(ExpectedConditions.urlContains("notice=secret_added"));
        String second = text(By.id("client-secret"));
        assertEquals(1, driver.findElements(By.cssSelector(".secret-item .badge")).size(), "the new one is marked");
        shots("secret-added");
        reloadedWithoutSecret(second);
        assertEquals(2, secrets(id).size(), "a reload added another secret");
        tokenFor(clientId, first).statusCode(200);
        tokenFor(clientId, second).statusCode(200);
        shots("application-two-secrets");

        // Delete the first secret, after its confirmation.
        driver.findElement(By.cssSelector("#secret-" + secrets(id).get(0).get("id") + " a")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("confirm-delete-secret")));
        assertTrue(text(By.tagName("main")).contains("clients using it will fail to get tokens until they are"
                + " updated"));
        shots("delete-secret-confirmation");
        driver.findElement(By.id("confirm-delete-secret")).click();
        wait.until(ExpectedConditions.urlContains("notice=secret_deleted"));
        shots("secret-deleted");
        driver.navigate().refresh();
        assertEquals(1, secrets(id).size());
        tokenFor(clientId, first).statusCode(401).body("error", equalTo("invalid_client"));
        tokenFor(clientId, second).statusCode(200);

        // Regenerate, after its confirmation: the previous secret stops.
        driver.findElement(By.id("regenerate-secret")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("confirm-regenerate")));
        assertTrue(text(By.tagName("main")).contains("clients using the current secret will fail to get tokens"
                + " until they are updated"));
        shots("regenerate-confirmation");
        driver.findElement(By.id("confirm-regenerate")).click();
        wait.until(ExpectedConditions.urlContains("notice=secret_regenerated"));
        String third = text(By.id("client-secret"));
        assertNotEquals(second, third);
        assertTrue(text(By.cssSelector(".notice")).contains("The previous secret no longer works"));
        shots("secret-regenerated");
        reloadedWithoutSecret(third);
        driver.navigate().back();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("confirm-regenerate")));
        driver.navigate().forward();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("client-id")));
        assertSecretNotShown(third);
        assertEquals(1, secrets(id).size());
        tokenFor(clientId, second).statusCode(401);
        tokenFor(clientId, third).statusCode(200);

        // Edit, then reload: one change, no repeated post.
        driver.findElement(By.id("edit-application")).click();
        type("name", "Renamed in the browser");
        type("redirect_uri", "https://app.example/callback");
        shots("edit-application");
        button("Save changes").click();
        wait.until(ExpectedConditions.urlContains("notice=application_updated"));
        driver.navigate().refresh();
        assertEquals("Renamed in the browser", text(By.tagName("h1")));
        assertTrue(driver.findElements(By.id("no-redirect-uri")).isEmpty());
        shots("application-edited");

        // Delete the application, after its confirmation.
        driver.findElement(By.id("delete-application")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("confirm-delete")));
        shots("delete-confirmation");
        driver.findElement(By.id("confirm-delete")).click();
        wait.until(ExpectedConditions.urlContains("notice=application_deleted"));
        driver.navigate().refresh();
        assertTrue(text(By.cssSelector(".notice")).contains("has been deleted"));
        assertEquals(0, applications().size());
        shots("application-deleted");
        tokenFor(clientId, third).statusCode(401);

        // A public application: no secrets, and only the deletion in the danger zone.
        long publicId = Fixtures.newPublicApp(user, "public read_items").id();
        open("account/oauth/applications/" + publicId);
        assertTrue(driver.findElements(By.id("regenerate-secret")).isEmpty());
        assertTrue(driver.findElements(By.id("add-secret")).isEmpty());
        shots("public-application");

        assertNoConsoleErrors();
    }

    private void signIn() {
        open("users/sign_in");
        type("email", user.email());
        type("password", user.password());
        button("Sign in").click();
        wait.until(ExpectedConditions.urlMatches(".*/account$"));
    }

    /** A reload of the page a post redirected to: the page again, its secret gone, no post sent again. */
    private void reloadedWithoutSecret(String secret) {
        driver.navigate().refresh();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("client-id")));
        assertSecretNotShown(secret);
    }

    private void assertSecretNotShown(String secret) {
        assertTrue(driver.findElements(By.id("client-secret")).isEmpty(), "a secret is shown again");
        assertFalse(driver.getPageSource().contains(secret), "the secret is in the page again");
    }

    private RequestSpecification asUser() {
        return given().auth().preemptive().basic(user.email(), user.password());
    }

    private List<Map<String, Object>> applications() {
        return asUser().get("/api/v1/oauth/applications").then().statusCode(200).extract().jsonPath().getList("$");
    }

    private List<Map<String, Object>> secrets(long applicationId) {
        return asUser().get("/api/v1/oauth/applications/" + applicationId + "/secrets").then().statusCode(200)
                .extract().jsonPath().getList("$");
    }

    private static ValidatableResponse tokenFor(String clientId, String secret) {
        return given().formParam("grant_type", "client_credentials").formParam("client_id", clientId)
                .formParam("client_secret", secret).post("/oauth/token").then();
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

    /** The page at 1280x800 and at 390x844, each as the screen shows it and at its full length. */
    private void shots(String name) throws IOException {
        shots++;
        for (Dimension size : List.of(DESKTOP, PHONE)) {
            driver.manage().window().setSize(size);
            String prefix = String.format("applications-%02d-%s-%dx%d", shots, name, size.getWidth(),
                    size.getHeight());
            Path file = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE).toPath();
            Files.copy(file, Chromium.SCREENSHOTS.resolve(prefix + ".png"),
                    StandardCopyOption.REPLACE_EXISTING);
            Files.write(Chromium.SCREENSHOTS.resolve(prefix + "-full.png"), fullPage(size));
            assertFalse(overflowsSideways(), name + " scrolls sideways at " + size);
        }
        driver.manage().window().setSize(DESKTOP);
    }

    /** The whole page at the window's width: the window made as tall as the page, then put back. */
    private byte[] fullPage(Dimension size) {
        JavascriptExecutor script = (JavascriptExecutor) driver;
        long chrome = (Long) script.executeScript("return window.outerHeight - window.innerHeight;");
        long height = (Long) script.executeScript("return document.documentElement.scrollHeight;");
        driver.manage().window().setSize(new Dimension(size.getWidth(), (int) (height + chrome)));
        byte[] png = ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES);
        driver.manage().window().setSize(size);
        return png;
    }

    private boolean overflowsSideways() {
        return (Boolean) ((JavascriptExecutor) driver).executeScript(
                "return document.documentElement.scrollWidth > document.documentElement.clientWidth;");
    }

    private void assertNoConsoleErrors() {
        List<LogEntry> errors = driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(entry -> entry.getLevel().intValue() >= Level.SEVERE.intValue())
                .filter(entry -> !entry.getMessage().contains("the server responded with a status of 4"))
                .toList();
        assertTrue(errors.isEmpty(), errors.toString());
    }
}
