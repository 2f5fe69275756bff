package io.storeman.web;

import static io.storeman.support.Fixtures.me;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.storeman.oauth.Scope;
import io.storeman.oauth.ScopeWords;
import io.storeman.support.Chromium;
import io.storeman.support.Fixtures;
import io.storeman.support.Fixtures.Account;
import io.storeman.support.Fixtures.App;
import io.storeman.support.Fixtures.Tokens;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * "Authorized applications" in headless Chromium: "Revoke" asks first, on a page that says what stops working; the
 * confirmation revokes, and the browser lands on the list (post/redirect/get), so reloading it afterwards repeats
 * nothing. Screenshots go to target/screenshots/authorized-*.png.
 */
@QuarkusTest
class AuthorizedApplicationsBrowserTest {

    @RegisterExtension
    static final Chromium browser = new Chromium("authorized");

    @Test
    void revokeWhenConfirmedAndTheListReloadedThenRevokedOnceAndNothingRepeated() throws InterruptedException {
        WebDriver driver = browser.driver();
        Account user = Fixtures.newUser();
        App app = Fixtures.newApp(user, "public read_spaces write_spaces");
        Tokens tokens = Fixtures.passwordTokens(app, user, "public read_spaces write_spaces");
        browser.signIn(user);

        browser.open("account/authorized_applications");
        String list = driver.getPageSource();
        assertTrue(list.contains(ScopeWords.describe(Scope.WRITE_SPACES)), "permissions in the consent page's words");
        assertFalse(list.contains(">write_spaces<"), "no scope codes");
        browser.screenshot("list");

        // "Revoke" only asks.
        driver.findElement(By.cssSelector("a[aria-label='Revoke Test app']")).click();
        browser.until(ExpectedConditions.urlContains("/" + app.clientId() + "/revoke"));
        assertEquals("Test app", browser.text(By.id("application-name")));
        assertTrue(browser.text(By.tagName("main")).contains("stops working"));
        me(tokens.accessToken()).statusCode(200);
        browser.screenshot("confirm");

        // "Revoke access": done once, and the browser is on the list.
        driver.findElement(By.id("confirm-revoke")).click();
        browser.until(ExpectedConditions.urlContains("notice=authorization_revoked"));
        assertTrue(driver.getCurrentUrl().endsWith("/account/authorized_applications?notice=authorization_revoked"));
        me(tokens.accessToken()).statusCode(401);
        assertEquals("You haven't authorized any applications yet.", browser.text(By.cssSelector(".empty p")));
        browser.screenshot("revoked-empty");

        // A token issued since (after the revocation's second, R1) survives a reload: nothing is posted again.
        Thread.sleep(1100);
        Tokens later = Fixtures.passwordTokens(app, user, "public");
        driver.navigate().refresh();
        browser.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("a[aria-label='Revoke Test app']")));
        assertTrue(driver.getCurrentUrl().endsWith("/account/authorized_applications?notice=authorization_revoked"));
        me(later.accessToken()).statusCode(200);
    }

}
