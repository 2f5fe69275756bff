package io.storeman.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.storeman.support.Chromium;
import io.storeman.support.Screenshots;
import java.io.IOException;
import java.net.URL;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The frame every page shares, in headless Chromium: the signed-in e-mail in the top bar (whole where it fits, cut
 * with an ellipsis and a tooltip where it does not, never hidden on a phone), the icon, the bare address, the 404 and
 * 405 pages, and the sign-out page a link leads to. Screenshots go to target/screenshots/frame-*.png.
 */
@QuarkusTest
class SiteFrameBrowserTest {

    private static final String PASSWORD = "site frame passphrase";

    @TestHTTPResource("/")
    URL base;

    private WebDriver driver;
    private WebDriverWait wait;
    private Screenshots shots;

    @BeforeEach
    void startBrowser() throws IOException {
        driver = Chromium.start();
        wait = new WebDriverWait(driver, Duration.ofSeconds(15));
        shots = new Screenshots(driver, "frame");
    }

    @AfterEach
    void stopBrowser() {
        if (driver != null) {
            driver.quit();
        }
    }

    @Test
    void topBarWhenEmailIsLongThenCutWithATooltipAndStillShownOnAPhone() {
        String email = "a-rather-long-mailbox-name-for-the-top-bar." + UUID.randomUUID() + "@storeman-example.org";
        signUp(email);
        wait.until(ExpectedConditions.urlContains("/account"));
        assertTrue(text(By.cssSelector(".notice")).contains("Welcome to Storeman"));
        shots.both("account-long-email");

        Screenshots.viewport(driver, Screenshots.LAPTOP);
        WebElement who = driver.findElement(By.cssSelector(".who"));
        assertEquals(email, driver.findElement(By.id("who-email")).getAttribute("textContent"));
        assertTrue(isCut(who), "an e-mail this long does not fit beside the menu");
        assertEquals(email, who.getDomAttribute("title"));

        Screenshots.viewport(driver, Screenshots.PHONE);
        who = driver.findElement(By.cssSelector(".who"));
        assertTrue(who.isDisplayed(), "the e-mail stays on a phone");
        assertTrue(who.getRect().getX() + who.getRect().getWidth() <= 390, "it stays within the screen");
        assertEquals(email, who.getDomAttribute("title"));
        Screenshots.viewport(driver, Screenshots.LAPTOP);
        assertNoConsoleErrors();
    }

    @Test
    void topBarWhenEmailFitsThenWholeWithoutTooltipEvenOnAPhone() {
        String email = "ann." + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
        signUp(email);
        wait.until(ExpectedConditions.urlContains("/account"));
        shots.both("account-short-email");
        for (var size : List.of(Screenshots.LAPTOP, Screenshots.PHONE)) {
            Screenshots.viewport(driver, size);
            driver.navigate().refresh();
            WebElement who = driver.findElement(By.cssSelector(".who"));
            assertTrue(who.isDisplayed(), size.toString());
            assertEquals(email, driver.findElement(By.id("who-email")).getText().trim(), size.toString());
            assertFalse(isCut(who), size.toString());
            assertNull(who.getDomAttribute("title"), size.toString());
        }
        Screenshots.viewport(driver, Screenshots.LAPTOP);
    }

    @Test
    void strayAddressesWhenVisitedThenPagesOfTheSiteAndALinkNeverSignsOut() {
        // Not signed in: the bare address leads to sign-in; an unknown one is a 404 page offering it.
        open("");
        wait.until(ExpectedConditions.urlContains("/users/sign_in"));
        assertTrue(iconLoads(), "the icon loads under the page's content security policy");
        open("account/no-such-page");
        assertEquals("Not found", text(By.tagName("h1")));
        shots.both("not-found-signed-out");

        String email = "frame-" + UUID.randomUUID() + "@example.com";
        signUp(email);
        wait.until(ExpectedConditions.urlContains("/account"));

        // Signed in: the bare address is the account page; the 404 and 405 pages keep the menu.
        open("");
        wait.until(ExpectedConditions.urlMatches(".*/account$"));
        open("no-such-page");
        assertEquals("Not found", text(By.tagName("h1")));
        assertTrue(driver.findElement(By.linkText("Authorized applications")).isDisplayed());
        shots.both("not-found");
        open("account/password");
        assertEquals("Not available this way", text(By.tagName("h1")));
        shots.both("method-not-allowed");

        // A link to /users/sign_out only asks; the button signs out.
        open("users/sign_out");
        assertEquals("Sign out of Storeman?", text(By.tagName("h1")));
        shots.both("sign-out");
        open("account");
        assertEquals(email, text(By.id("account-email")));
        open("users/sign_out");
        driver.findElement(By.id("confirm-sign-out")).click();
        wait.until(ExpectedConditions.urlContains("notice=signed_out"));
        open("account");
        wait.until(ExpectedConditions.urlContains("/users/sign_in"));
        assertNoConsoleErrors();
    }

    private void signUp(String email) {
        open("users/sign_up");
        type("email", email);
        type("password", PASSWORD);
        type("password_confirmation", PASSWORD);
        driver.findElement(By.xpath("//button[normalize-space()='Sign up']")).click();
    }

    /** Whether the element's text is wider than its box: the ellipsis shows. */
    private boolean isCut(WebElement element) {
        return (Boolean) ((JavascriptExecutor) driver)
                .executeScript("return arguments[0].scrollWidth > arguments[0].clientWidth;", element);
    }

    /** Loads the SVG icon as an image of the current page: only the page's img-src decides. */
    private boolean iconLoads() {
        Object loaded = ((JavascriptExecutor) driver).executeAsyncScript("""
                var done = arguments[arguments.length - 1];
                var img = new Image();
                img.onload = function () { done(img.naturalWidth > 0); };
                img.onerror = function () { done(false); };
                img.src = '/favicon.svg';
                """);
        return Boolean.TRUE.equals(loaded);
    }

    private void open(String path) {
        driver.get(base.toString() + path);
    }

    private void type(String id, String value) {
        WebElement field = driver.findElement(By.id(id));
        field.clear();
        field.sendKeys(value);
    }

    private String text(By locator) {
        return wait.until(ExpectedConditions.visibilityOfElementLocated(locator)).getText().trim();
    }

    /** No script or policy errors; the 404 and 405 pages visited on purpose are logged as failed loads. */
    private void assertNoConsoleErrors() {
        List<LogEntry> errors = driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(entry -> entry.getLevel().intValue() >= Level.SEVERE.intValue())
                .filter(entry -> !entry.getMessage().contains("the server responded with a status of 4"))
                .toList();
        assertTrue(errors.isEmpty(), errors.toString());
    }
}
