package io.storeman.web;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.storeman.oauth.Scope;
import io.storeman.oauth.ScopeWords;
import io.storeman.support.Chromium;
import io.storeman.support.Fixtures;
import io.storeman.support.Fixtures.Account;
import io.storeman.support.Fixtures.App;
import io.storeman.support.Fixtures.Tokens;
import io.storeman.support.Screenshots;
import java.io.IOException;
import java.net.URL;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * "Authorized applications" in headless Chromium: "Revoke" asks first, on a page that says what stops working; the
 * confirmation revokes, and the browser lands on the list (post/redirect/get), so reloading it afterwards repeats
 * nothing. Screenshots go to target/screenshots/authorized-*.png.
 */
@QuarkusTest
class AuthorizedApplicationsBrowserTest {

    @TestHTTPResource("/")
    URL base;

    private WebDriver driver;
    private WebDriverWait wait;

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
    void revokeWhenConfirmedAndTheListReloadedThenRevokedOnceAndNothingRepeated() throws InterruptedException {
        Account user = Fixtures.newUser();
        App app = Fixtures.newApp(user, "public read_spaces write_spaces");
        Tokens tokens = Fixtures.passwordTokens(app, user, "public read_spaces write_spaces");
        Screenshots pages = new Screenshots(driver, "authorized");
        signIn(user);

        open("account/authorized_applications");
        String list = driver.getPageSource();
        assertTrue(list.contains(ScopeWords.describe(Scope.WRITE_SPACES)), "permissions in the consent page's words");
        assertFalse(list.contains(">write_spaces<"), "no scope codes");
        pages.both("list");

        // "Revoke" only asks.
        driver.findElement(By.cssSelector("a[aria-label='Revoke Test app']")).click();
        wait.until(ExpectedConditions.urlContains("/" + app.clientId() + "/revoke"));
        assertEquals("Test app", text(By.id("application-name")));
        assertTrue(text(By.tagName("main")).contains("stops working"));
        me(tokens.accessToken()).statusCode(200);
        pages.both("confirm");

        // "Revoke access": done once, and the browser is on the list.
        driver.findElement(By.id("confirm-revoke")).click();
        wait.until(ExpectedConditions.urlContains("notice=authorization_revoked"));
        assertTrue(driver.getCurrentUrl().endsWith("/account/authorized_applications?notice=authorization_revoked"));
        me(tokens.accessToken()).statusCode(401);
        assertEquals("You haven't authorized any applications yet.", text(By.cssSelector(".empty p")));
        pages.both("revoked-empty");

        // A token issued since (after the revocation's second, R1) survives a reload: nothing is posted again.
        Thread.sleep(1100);
        Tokens later = Fixtures.passwordTokens(app, user, "public");
        driver.navigate().refresh();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("a[aria-label='Revoke Test app']")));
        assertTrue(driver.getCurrentUrl().endsWith("/account/authorized_applications?notice=authorization_revoked"));
        me(later.accessToken()).statusCode(200);
    }

    private void signIn(Account user) {
        open("users/sign_in");
        type("email", user.email());
        type("password", user.password());
        driver.findElement(By.xpath("//button[normalize-space()='Sign in']")).click();
        wait.until(ExpectedConditions.urlMatches(".*/account$"));
    }

    private static io.restassured.response.ValidatableResponse me(String accessToken) {
        return given().auth().oauth2(accessToken).get("/api/v1/me").then();
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
}
