package io.storeman.web;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import io.storeman.support.Chromium;
import io.storeman.support.Fixtures;
import io.storeman.support.Fixtures.Account;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;

/**
 * The application pages in headless Chromium (docs/security.md D10, D11): after every form that changes something
 * the page is reloaded, and then the browser goes back and forward, and nothing is made twice and no secret shows
 * again; every confirmation is clicked through. Each page is saved at 1280x800 and 390x844 to
 * target/screenshots/applications-*.png, with a full-length copy (-full) of each page longer than the screen. A second
 * test fills in the OpenID Connect fields.
 */
@QuarkusTest
class ApplicationPagesBrowserTest {

    @RegisterExtension
    static final Chromium browser = new Chromium("applications");

    private Account user;

    @Test
    void everyFormWhenReloadedOrRevisitedThenNothingRepeatsAndNoSecretShowsAgain() throws IOException {
        WebDriver driver = browser.driver();
        user = Fixtures.newUser();
        browser.signIn(user);

        // New application: a refused post first (no scope), then the full-width options.
        browser.open("account/oauth/applications/new");
        shots("new-application");
        browser.type("name", "Browser secrets app");
        browser.button("Create application").click();
        assertEquals("Choose at least one scope.", browser.text(By.id("scopes-error")));
        assertEquals("true", driver.findElement(By.id("scope-public")).getAttribute("aria-invalid"));
        shots("new-application-no-scope");
        // A fresh form: the refused post above answered 400 with the form, and is not what "back" should find.
        browser.open("account/oauth/applications/new");
        browser.type("name", "Browser secrets app");
        // The whole option is the tap target: its description, far from the box, ticks it.
        driver.findElement(By.xpath("//input[@id='scope-read_items']/following-sibling::span"
                + "//span[@class='choice-description']")).click();
        assertTrue(driver.findElement(By.id("scope-read_items")).isSelected());
        assertTrue(driver.findElement(By.id("scope-read_items")).findElement(By.xpath("..")).getSize()
                .getHeight() >= 44, "a tap target of at least 44 px");
        driver.findElement(By.id("scope-public")).click();
        browser.button("Create application").click();

        browser.until(ExpectedConditions.urlContains("notice=application_created"));
        String clientId = browser.text(By.id("client-id"));
        String first = browser.text(By.id("client-secret"));
        assertTrue(driver.findElement(By.id("no-redirect-uri")).isDisplayed(), "the missing redirect URI is warned");
        shots("application-created");
        tokenFor(clientId, first).statusCode(200);
        reloadedWithoutSecret(first);
        driver.navigate().back();
        browser.until(ExpectedConditions.urlContains("/new"));
        driver.navigate().forward();
        browser.until(ExpectedConditions.urlContains("notice=application_created"));
        assertSecretNotShown(first);
        assertEquals(1, applications().size(), "a reload, back or forward made another application");
        long id = ((Number) applications().get(0).get("id")).longValue();
        shots("application");

        // Add a second secret: both work side by side.
        driver.findElement(By.id("add-secret")).click();
        browser.until(ExpectedConditions.urlContains("notice=secret_added"));
        String second = browser.text(By.id("client-secret"));
        assertEquals(1, driver.findElements(By.cssSelector(".secret-item .badge")).size(), "the new one is marked");
        shots("secret-added");
        reloadedWithoutSecret(second);
        assertEquals(2, secrets(id).size(), "a reload added another secret");
        tokenFor(clientId, first).statusCode(200);
        tokenFor(clientId, second).statusCode(200);
        shots("application-two-secrets");

        // Delete the first secret, after its confirmation.
        driver.findElement(By.cssSelector("#secret-" + secrets(id).get(0).get("id") + " a")).click();
        browser.until(ExpectedConditions.visibilityOfElementLocated(By.id("confirm-delete-secret")));
        assertTrue(browser.text(By.tagName("main")).contains("clients using it will fail to get tokens until they are"
                + " updated"));
        shots("delete-secret-confirmation");
        driver.findElement(By.id("confirm-delete-secret")).click();
        browser.until(ExpectedConditions.urlContains("notice=secret_deleted"));
        shots("secret-deleted");
        driver.navigate().refresh();
        assertEquals(1, secrets(id).size());
        tokenFor(clientId, first).statusCode(401).body("error", equalTo("invalid_client"));
        tokenFor(clientId, second).statusCode(200);

        // Regenerate, after its confirmation: the previous secret stops.
        driver.findElement(By.id("regenerate-secret")).click();
        browser.until(ExpectedConditions.visibilityOfElementLocated(By.id("confirm-regenerate")));
        assertTrue(browser.text(By.tagName("main")).contains("clients using the current secret will fail to get tokens"
                + " until they are updated"));
        shots("regenerate-confirmation");
        driver.findElement(By.id("confirm-regenerate")).click();
        browser.until(ExpectedConditions.urlContains("notice=secret_regenerated"));
        String third = browser.text(By.id("client-secret"));
        assertNotEquals(second, third);
        assertTrue(browser.text(By.cssSelector(".notice")).contains("The previous secret no longer works"));
        shots("secret-regenerated");
        reloadedWithoutSecret(third);
        driver.navigate().back();
        browser.until(ExpectedConditions.visibilityOfElementLocated(By.id("confirm-regenerate")));
        driver.navigate().forward();
        browser.until(ExpectedConditions.visibilityOfElementLocated(By.id("client-id")));
        assertSecretNotShown(third);
        assertEquals(1, secrets(id).size());
        tokenFor(clientId, second).statusCode(401);
        tokenFor(clientId, third).statusCode(200);

        // Edit, then reload: one change, no repeated post.
        driver.findElement(By.id("edit-application")).click();
        browser.type("name", "Renamed in the browser");
        browser.type("redirect_uri", "https://app.example/callback");
        shots("edit-application");
        browser.button("Save changes").click();
        browser.until(ExpectedConditions.urlContains("notice=application_updated"));
        driver.navigate().refresh();
        assertEquals("Renamed in the browser", browser.text(By.tagName("h1")));
        assertTrue(driver.findElements(By.id("no-redirect-uri")).isEmpty());
        shots("application-edited");

        // Delete the application, after its confirmation.
        driver.findElement(By.id("delete-application")).click();
        browser.until(ExpectedConditions.visibilityOfElementLocated(By.id("confirm-delete")));
        shots("delete-confirmation");
        driver.findElement(By.id("confirm-delete")).click();
        browser.until(ExpectedConditions.urlContains("notice=application_deleted"));
        driver.navigate().refresh();
        assertTrue(browser.text(By.cssSelector(".notice")).contains("has been deleted"));
        assertEquals(0, applications().size());
        shots("application-deleted");
        tokenFor(clientId, third).statusCode(401);

        // A public application: no secrets, and only the deletion in the danger zone.
        long publicId = Fixtures.newPublicApp(user, "public read_items").id();
        browser.open("account/oauth/applications/" + publicId);
        assertTrue(driver.findElements(By.id("regenerate-secret")).isEmpty());
        assertTrue(driver.findElements(By.id("add-secret")).isEmpty());
        shots("public-application");

        browser.assertNoConsoleErrors();
    }

    /**
     * The OpenID Connect fields (docs/security.md O10): typed and chosen in the browser, saved, shown on the
     * application's page and in the edit form, and a refused change explained beside its field.
     */
    @Test
    void openIdFieldsWhenFilledInThenSavedShownAndARefusalExplainedBesideTheField() {
        WebDriver driver = browser.driver();
        user = Fixtures.newUser();
        browser.signIn(user);

        browser.open("account/oauth/applications/new");
        browser.type("name", "Browser relying party");
        browser.type("redirect_uri", "https://rp.example/callback");
        driver.findElement(By.id("scope-openid")).click();
        browser.type("post_logout_redirect_uris", "https://rp.example/signed-out\nhttp://localhost:3000/bye");
        new Select(driver.findElement(By.id("id_token_signed_response_alg"))).selectByValue("ES256");
        new Select(driver.findElement(By.id("subject_type"))).selectByValue("pairwise");
        shots("new-relying-party");
        browser.button("Create application").click();

        browser.until(ExpectedConditions.urlContains("notice=application_created"));
        assertEquals("https://rp.example/signed-out\nhttp://localhost:3000/bye",
                browser.text(By.id("post-logout-redirect-uris")));
        assertEquals("ES256", browser.text(By.id("id-token-algorithm")));
        assertTrue(browser.text(By.id("subject-type")).startsWith("Pairwise"));
        shots("relying-party");
        Map<String, Object> stored = applications().get(0);
        assertEquals(List.of("https://rp.example/signed-out", "http://localhost:3000/bye"),
                stored.get("post_logout_redirect_uris"));
        assertEquals("ES256", stored.get("id_token_signed_response_alg"));
        assertEquals("pairwise", stored.get("subject_type"));

        // The edit form shows the values; removing the redirect URI of a pairwise application is refused.
        driver.findElement(By.id("edit-application")).click();
        browser.until(ExpectedConditions.visibilityOfElementLocated(By.id("post_logout_redirect_uris")));
        assertEquals("https://rp.example/signed-out\nhttp://localhost:3000/bye",
                driver.findElement(By.id("post_logout_redirect_uris")).getAttribute("value"));
        assertEquals("pairwise", new Select(driver.findElement(By.id("subject_type")))
                .getFirstSelectedOption().getAttribute("value"));
        driver.findElement(By.id("redirect_uri")).clear();
        browser.type("post_logout_redirect_uris", "https://rp.example/signed-out#fragment");
        browser.button("Save changes").click();
        assertTrue(browser.text(By.id("redirect_uri-error")).startsWith("Redirect URI cannot be removed while the"
                + " subject type is pairwise"));
        assertTrue(browser.text(By.id("post_logout_redirect_uris-error")).startsWith("Post-logout redirect URIs must"
                + " each be an absolute https URI without fragment"));
        assertEquals("true", driver.findElement(By.id("post_logout_redirect_uris")).getAttribute("aria-invalid"));
        shots("edit-relying-party-refused");
        assertEquals("https://rp.example/callback", applications().get(0).get("redirect_uri"));

        // Back to public subjects, with one post-logout URI left.
        browser.type("redirect_uri", "https://rp.example/callback");
        browser.type("post_logout_redirect_uris", "https://rp.example/signed-out");
        new Select(driver.findElement(By.id("subject_type"))).selectByValue("public");
        browser.button("Save changes").click();
        browser.until(ExpectedConditions.urlContains("notice=application_updated"));
        assertEquals("Public", browser.text(By.id("subject-type")));
        assertEquals(List.of("https://rp.example/signed-out"), applications().get(0).get("post_logout_redirect_uris"));

        browser.assertNoConsoleErrors();
    }

    /** A reload of the page a post redirected to: the page again, its secret gone, no post sent again. */
    private void reloadedWithoutSecret(String secret) {
        browser.driver().navigate().refresh();
        browser.until(ExpectedConditions.visibilityOfElementLocated(By.id("client-id")));
        assertSecretNotShown(secret);
    }

    private void assertSecretNotShown(String secret) {
        assertTrue(browser.driver().findElements(By.id("client-secret")).isEmpty(), "a secret is shown again");
        assertFalse(browser.driver().getPageSource().contains(secret), "the secret is in the page again");
    }

    /** The page at both sizes, neither of which may scroll sideways. */
    private static void shots(String name) {
        browser.screenshot(name,
                size -> assertFalse(browser.overflowsSideways(), name + " scrolls sideways at " + size));
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
}
