package io.storeman.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.storeman.support.Chromium;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * The frame every page shares, in headless Chromium: the signed-in e-mail in the top bar (whole where it fits, cut
 * with an ellipsis and a tooltip where it does not, never hidden on a phone), the icon, the bare address, the 404 and
 * 405 pages, and the sign-out page a link leads to. Screenshots go to target/screenshots/frame-*.png.
 */
@QuarkusTest
class SiteFrameBrowserTest {

    private static final String PASSWORD = "site frame passphrase";

    @RegisterExtension
    static final Chromium browser = new Chromium("frame");

    @Test
    void topBarWhenEmailIsLongThenCutWithATooltipAndStillShownOnAPhone() {
        String email = "a-rather-long-mailbox-name-for-the-top-bar." + UUID.randomUUID() + "@storeman-example.org";
        browser.signUp(email, PASSWORD);
        browser.until(ExpectedConditions.urlContains("/account"));
        assertTrue(browser.text(By.cssSelector(".notice")).contains("Welcome to Storeman"));
        browser.screenshot("account-long-email");

        browser.viewport(Chromium.LAPTOP);
        WebElement who = browser.driver().findElement(By.cssSelector(".who"));
        assertEquals(email, browser.driver().findElement(By.id("who-email")).getAttribute("textContent"));
        assertTrue(isCut(who), "an e-mail this long does not fit beside the menu");
        assertEquals(email, who.getDomAttribute("title"));

        browser.viewport(Chromium.PHONE);
        who = browser.driver().findElement(By.cssSelector(".who"));
        assertTrue(who.isDisplayed(), "the e-mail stays on a phone");
        assertTrue(who.getRect().getX() + who.getRect().getWidth() <= 390, "it stays within the screen");
        assertEquals(email, who.getDomAttribute("title"));
        browser.viewport(Chromium.LAPTOP);
        browser.assertNoConsoleErrors();
    }

    @Test
    void topBarWhenEmailFitsThenWholeWithoutTooltipEvenOnAPhone() {
        String email = "ann." + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
        browser.signUp(email, PASSWORD);
        browser.until(ExpectedConditions.urlContains("/account"));
        browser.screenshot("account-short-email");
        for (var size : List.of(Chromium.LAPTOP, Chromium.PHONE)) {
            browser.viewport(size);
            browser.driver().navigate().refresh();
            WebElement who = browser.driver().findElement(By.cssSelector(".who"));
            assertTrue(who.isDisplayed(), size.toString());
            assertEquals(email, browser.driver().findElement(By.id("who-email")).getText().trim(), size.toString());
            assertFalse(isCut(who), size.toString());
            assertNull(who.getDomAttribute("title"), size.toString());
        }
        browser.viewport(Chromium.LAPTOP);
    }

    @Test
    void strayAddressesWhenVisitedThenPagesOfTheSiteAndALinkNeverSignsOut() {
        // Not signed in: the bare address leads to sign-in; an unknown one is a 404 page offering it.
        browser.open("");
        browser.until(ExpectedConditions.urlContains("/users/sign_in"));
        assertTrue(iconLoads(), "the icon loads under the page's content security policy");
        browser.open("account/no-such-page");
        assertEquals("Not found", browser.text(By.tagName("h1")));
        browser.screenshot("not-found-signed-out");

        String email = "frame-" + UUID.randomUUID() + "@example.com";
        browser.signUp(email, PASSWORD);
        browser.until(ExpectedConditions.urlContains("/account"));

        // Signed in: the bare address is the account page; the 404 and 405 pages keep the menu.
        browser.open("");
        browser.until(ExpectedConditions.urlMatches(".*/account$"));
        browser.open("no-such-page");
        assertEquals("Not found", browser.text(By.tagName("h1")));
        assertTrue(browser.driver().findElement(By.linkText("Authorized applications")).isDisplayed());
        browser.screenshot("not-found");
        browser.open("account/password");
        assertEquals("Not available this way", browser.text(By.tagName("h1")));
        browser.screenshot("method-not-allowed");

        // A link to /users/sign_out only asks; the button signs out.
        browser.open("users/sign_out");
        assertEquals("Sign out of Storeman?", browser.text(By.tagName("h1")));
        browser.screenshot("sign-out");
        browser.open("account");
        assertEquals(email, browser.text(By.id("account-email")));
        browser.open("users/sign_out");
        browser.driver().findElement(By.id("confirm-sign-out")).click();
        browser.until(ExpectedConditions.urlContains("notice=signed_out"));
        browser.open("account");
        browser.until(ExpectedConditions.urlContains("/users/sign_in"));
        browser.assertNoConsoleErrors();
    }

    /** Whether the element's text is wider than its box: the ellipsis shows. */
    private boolean isCut(WebElement element) {
        return (Boolean) browser
                .script("return arguments[0].scrollWidth > arguments[0].clientWidth;", element);
    }

    /** Loads the SVG icon as an image of the current page: only the page's img-src decides. */
    private boolean iconLoads() {
        Object loaded = ((JavascriptExecutor) browser.driver()).executeAsyncScript("""
                var done = arguments[arguments.length - 1];
                var img = new Image();
                img.onload = function () { done(img.naturalWidth > 0); };
                img.onerror = function () { done(false); };
                img.src = '/favicon.svg';
                """);
        return Boolean.TRUE.equals(loaded);
    }
}
