package io.storeman.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.storeman.support.Chromium;
import io.storeman.support.CodeFlow;
import io.storeman.support.Fixtures;
import io.storeman.support.Fixtures.Account;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.net.URL;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * RP-initiated logout in a real headless Chromium (docs/security.md O9): a client sends a signed-in browser to
 * /oauth/logout without a hint, the user confirms, and the browser lands on the client's post-logout redirect URI
 * with the state, so the confirmation page's form-action policy lets the form's redirect leave this server. The
 * redirect URI is this server under another origin (127.0.0.1): its page is a 404, but the address bar tells where
 * the browser went. Screenshots go to target/screenshots/end-session-*.png.
 */
@QuarkusTest
class EndSessionBrowserTest {

    @RegisterExtension
    static final Chromium browser = new Chromium("end-session");

    @TestHTTPResource("/")
    URL base;

    @Inject
    Pool pool;

    @Test
    void logoutWhenConfirmedInTheBrowserThenSignedOutAndOnToTheClientWithState() {
        WebDriver driver = browser.driver();
        Account user = Fixtures.newUser();
        CodeFlow.Client client = CodeFlow.newClient(user, "openid public", true);
        String logoutUri = "http://127.0.0.1:" + base.getPort() + "/logout-callback/" + UUID.randomUUID();
        pool.preparedQuery("update oauth_applications set post_logout_redirect_uris = $1 where client_id = $2")
                .execute(Tuple.of(logoutUri, client.clientId())).await().indefinitely();
        browser.signIn(user);

        driver.get(base + "oauth/logout?client_id=" + client.clientId() + "&post_logout_redirect_uri="
                + URLEncoder.encode(logoutUri, StandardCharsets.UTF_8) + "&state=browser-state");
        assertEquals("Sign out of Storeman?", browser.text(By.tagName("h1")));
        assertEquals("Code flow app", browser.text(By.id("application-name")));
        assertEquals(user.email(), browser.text(By.id("signed-in-as")));
        browser.screenshot("confirm");

        driver.findElement(By.id("confirm-sign-out")).click();
        browser.until(ExpectedConditions.urlContains("/logout-callback/"));
        assertEquals(logoutUri + "?state=browser-state", driver.getCurrentUrl());

        driver.get(base + "account");
        browser.until(ExpectedConditions.urlContains("/users/sign_in"));

        // Without a redirect URI and without a session: the signed-out page.
        driver.get(base + "oauth/logout");
        assertEquals("You are signed out", browser.text(By.id("signed-out")));
        assertTrue(driver.getCurrentUrl().startsWith(base.toString()), driver.getCurrentUrl());
        browser.screenshot("signed-out");

        browser.assertNoConsoleErrors();
    }
}
