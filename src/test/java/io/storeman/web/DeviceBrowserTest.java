package io.storeman.web;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;
import io.storeman.common.Secrets;
import io.storeman.oauth.grant.DeviceCodeGrant;
import io.storeman.support.Chromium;
import io.storeman.support.CodeFlow;
import io.storeman.support.CodeFlow.Client;
import io.storeman.support.Fixtures;
import io.storeman.support.Fixtures.Account;
import io.storeman.support.OAuthAnswers;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.net.URL;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * The device authorization grant in a real headless Chromium: a device (here, REST calls) gets its codes and polls;
 * the user opens {@code verification_uri_complete}, signs in, finds the code prefilled, sees the consent page with
 * the code to compare, and authorizes; the device's next poll gets tokens for that user. Screenshots go to
 * target/screenshots/device-*.png.
 */
@QuarkusTest
class DeviceBrowserTest {

    @RegisterExtension
    static final Chromium browser = new Chromium("device");

    @TestHTTPResource("/")
    URL base;

    @Inject
    Pool pool;

    @Test
    void deviceWhenTheUserSignsInEntersTheCodeAndAuthorizesThenTheDevicesPollGetsTokens() {
        WebDriver driver = browser.driver();
        Account user = Fixtures.newUser();
        Client device = registerDeviceApp(Fixtures.newUser());
        JsonPath started = device.authenticated().formParam("scope", "public read_items")
                .post("/oauth/device_authorization").then().statusCode(200).extract().jsonPath();
        String deviceCode = started.getString("device_code");
        String userCode = started.getString("user_code");
        poll(device, deviceCode).spec(OAuthAnswers.error(400, "authorization_pending"));

        // The user opens the complete verification URI (here on the test's own origin) and signs in first.
        driver.get(base + "device?user_code=" + userCode);
        browser.until(ExpectedConditions.urlContains("/users/sign_in"));
        browser.submitSignIn(user.email(), user.password());

        // Back on the device page, the code prefilled.
        browser.until(ExpectedConditions.urlContains("/device"));
        assertEquals(userCode, driver.findElement(By.id("user_code")).getAttribute("value"));
        browser.screenshot("enter-code");
        driver.findElement(By.id("continue")).click();

        // The code flow's consent page, naming the application and showing the code to compare.
        browser.until(ExpectedConditions.visibilityOfElementLocated(By.id("authorize")));
        assertEquals("Living Room TV", browser.text(By.id("application-name")));
        assertEquals(userCode, browser.text(By.id("user-code")));
        String scopes = browser.text(By.id("requested-scopes"));
        assertTrue(scopes.contains(io.storeman.oauth.ScopeWords.describe(io.storeman.oauth.Scope.READ_ITEMS)), scopes);
        browser.screenshot("consent");
        driver.findElement(By.id("authorize")).click();

        browser.until(ExpectedConditions.visibilityOfElementLocated(By.id("device-result")));
        assertEquals("Device connected", browser.text(By.id("device-result")));
        browser.screenshot("connected");

        // The device's next poll, one interval on, gets tokens for the user who authorized.
        pool.preparedQuery("update device_authorizations set last_polled_at = now() - interval '1 minute'"
                        + " where device_code_hash = $1")
                .execute(Tuple.of(Secrets.sha256(deviceCode))).await().atMost(Duration.ofSeconds(10));
        String accessToken = poll(device, deviceCode).statusCode(200)
                .body("scope", equalTo("public read_items"))
                .extract().path("access_token");
        Fixtures.me(accessToken).statusCode(200).body("email", equalTo(user.email()));
    }

    private static ValidatableResponse poll(Client device, String deviceCode) {
        return device.authenticated().formParam("grant_type", DeviceCodeGrant.GRANT_TYPE)
                .formParam("device_code", deviceCode).post("/oauth/token").then();
    }

    /** A public application named as a television would be: it has no redirect URI of use to it. */
    private static Client registerDeviceApp(Account owner) {
        Client client = CodeFlow.newClient(owner, "public read_items", false);
        io.restassured.RestAssured.given().auth().preemptive().basic(owner.email(), owner.password())
                .contentType(io.restassured.http.ContentType.JSON)
                .body(java.util.Map.of("name", "Living Room TV"))
                .patch("/api/v1/oauth/applications/" + client.app().id())
                .then().statusCode(200);
        return client;
    }
}
