package io.storeman.oauth.authorize;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.storeman.support.CodeFlow;
import io.storeman.support.CodeFlow.Client;
import io.storeman.support.CodeFlow.Verifier;
import io.storeman.support.Chromium;
import io.storeman.support.Fixtures;
import io.storeman.support.Fixtures.Account;
import io.storeman.support.Fixtures.App;
import java.net.URI;
import java.net.URL;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * The authorization code flow in a real headless Chromium (same setup as {@code BrowserFlowTest}): a third-party
 * application sends the browser to /oauth/authorize, the user signs in, sees the consent page and presses
 * "Authorize"; the browser lands on the application's redirect URI, whose code the application redeems with its PKCE
 * verifier. The redirect URI is this server under another origin (127.0.0.1 instead of localhost): its page is a 404,
 * but the browser's address bar carries the answer, and the consent page's form-action policy is put to the test.
 * Screenshots go to target/screenshots/consent-*.png.
 */
@QuarkusTest
class ConsentBrowserTest {

    @RegisterExtension
    static final Chromium browser = new Chromium("consent");

    @TestHTTPResource("/")
    URL base;

    @Test
    void consentWhenSignedInAndAuthorizedInTheBrowserThenTheRedirectCarriesACodeThatRedeems() {
        WebDriver driver = browser.driver();
        Account owner = Fixtures.newUser();
        Account user = Fixtures.newUser();
        String redirectUri = "http://127.0.0.1:" + base.getPort() + "/consent-callback/" + UUID.randomUUID();
        Client client = registerPublicApp(owner, "Photo Shelf", redirectUri);
        String clientId = client.clientId();
        Verifier pkce = Verifier.create();

        // The application sends the browser here; nobody is signed in yet.
        driver.get(authorizeUrl(clientId, redirectUri, "public read_items", "browser-state", pkce));
        browser.until(ExpectedConditions.urlContains("/users/sign_in"));
        browser.screenshot("sign-in");
        browser.submitSignIn(user.email(), user.password());

        // Back at the request: the consent page.
        browser.until(ExpectedConditions.urlContains("/oauth/authorize"));
        assertEquals("Photo Shelf", browser.text(By.id("application-name")));
        assertFalse(driver.getPageSource().contains(owner.email()), "no owner's e-mail (docs/security.md P2)");
        String scopes = browser.text(By.id("requested-scopes"));
        assertTrue(scopes.contains(io.storeman.oauth.ScopeWords.describe(io.storeman.oauth.Scope.PUBLIC)), scopes);
        assertTrue(scopes.contains(io.storeman.oauth.ScopeWords.describe(io.storeman.oauth.Scope.READ_ITEMS)), scopes);
        assertEquals("127.0.0.1", browser.text(By.id("redirect-host")));
        assertTrue(driver.findElement(By.id("deny")).isDisplayed());
        browser.screenshot("consent-page");

        // "Authorize": the browser lands on the application's redirect URI with a code and the state.
        driver.findElement(By.id("authorize")).click();
        browser.until(ExpectedConditions.urlContains("/consent-callback/"));
        URI landed = URI.create(driver.getCurrentUrl());
        assertTrue(landed.toString().startsWith(redirectUri + "?code="), landed.toString());
        Map<String, String> answer = CodeFlow.parameters(landed);
        assertEquals("browser-state", answer.get("state"));

        // The application redeems the code with its verifier (a public client: client_id, no secret).
        String accessToken = CodeFlow.redeem(client, answer.get("code"), redirectUri, pkce.verifier())
                .statusCode(200).body("scope", equalTo("public read_items"))
                .extract().path("access_token");
        Fixtures.me(accessToken).statusCode(200)
                .body("email", equalTo(user.email()));

        // The consent is remembered: the next request goes straight back to the application.
        Verifier second = Verifier.create();
        driver.get(authorizeUrl(clientId, redirectUri, "read_items", "second", second));
        browser.until(ExpectedConditions.urlContains("state=second"));
        assertTrue(driver.getCurrentUrl().startsWith(redirectUri + "?code="), driver.getCurrentUrl());

        // A scope not granted yet asks again; "Deny" answers access_denied.
        driver.get(authorizeUrl(clientId, redirectUri, "public read_items write_items", "third", Verifier.create()));
        browser.until(ExpectedConditions.visibilityOfElementLocated(By.id("deny")));
        driver.findElement(By.id("deny")).click();
        browser.until(ExpectedConditions.urlContains("error=access_denied"));
        assertTrue(driver.getCurrentUrl().contains("state=third"), driver.getCurrentUrl());
        assertTrue(driver.getCurrentUrl().startsWith(redirectUri + "?error=access_denied"), driver.getCurrentUrl());

        // It is listed among the authorized applications.
        driver.get(base + "account/authorized_applications");
        assertTrue(driver.getPageSource().contains("Photo Shelf"));
        browser.screenshot("authorized-applications");

        // Signed out, with the consent given: after sign-in the consent page asks once more (the sign-in form may
        // lead only to this server), and "Authorize" goes on to the application.
        browser.button("Sign out").click();
        browser.until(ExpectedConditions.urlContains("notice=signed_out"));
        driver.get(authorizeUrl(clientId, redirectUri, "public", "after-sign-in", Verifier.create()));
        browser.until(ExpectedConditions.urlContains("/users/sign_in"));
        browser.submitSignIn(user.email(), user.password());
        browser.until(ExpectedConditions.visibilityOfElementLocated(By.id("authorize"))).click();
        // The authorize page's own URL also holds "state=after-sign-in": wait for the redirect itself.
        browser.until(ExpectedConditions.urlContains("/consent-callback/"));
        assertTrue(driver.getCurrentUrl().startsWith(redirectUri + "?code="), driver.getCurrentUrl());
        assertTrue(driver.getCurrentUrl().contains("state=after-sign-in"), driver.getCurrentUrl());

        // An unregistered redirect URI: an error page here, the browser stays.
        driver.get(authorizeUrl(clientId, "https://evil.example/cb", "public", "x", Verifier.create()));
        assertEquals("Invalid authorization request", browser.text(By.tagName("h1")));
        assertTrue(driver.getCurrentUrl().startsWith(base.toString()), driver.getCurrentUrl());
        browser.screenshot("unregistered-redirect-uri");

        browser.assertNoConsoleErrors();
    }

    /**
     * Someone without an account meets "Authorize" first: the sign-in page's "Sign up" link keeps the request, the
     * new account is signed in at once, and the consent page follows; "Switch account" comes back to it too. The
     * application (a public client with PKCE) gets a code at its redirect URI and redeems it.
     */
    @Test
    void newUserWhenSigningUpFromTheAuthorizationRequestThenConsentAndACodeThatRedeems() {
        WebDriver driver = browser.driver();
        Account owner = Fixtures.newUser();
        String redirectUri = "http://127.0.0.1:" + base.getPort() + "/consent-callback/" + UUID.randomUUID();
        Client client = registerPublicApp(owner, "Garden Planner", redirectUri);
        String clientId = client.clientId();
        Verifier pkce = Verifier.create();
        String email = "new-" + UUID.randomUUID() + "@example.com";
        String password = "a new user's passphrase";

        driver.get(authorizeUrl(clientId, redirectUri, "public read_spaces", "new-user", pkce));
        browser.until(ExpectedConditions.urlContains("/users/sign_in"));
        browser.screenshot("sign-up-sign-in");
        driver.findElement(By.id("sign-up-link")).click();
        browser.until(ExpectedConditions.urlContains("/users/sign_up?next="));
        assertTrue(browser.text(By.cssSelector(".lead")).contains("An application asks for access"));
        browser.screenshot("sign-up-sign-up");
        browser.type("email", email);
        browser.type("password", password);
        browser.type("password_confirmation", password);
        browser.button("Sign up").click();

        // Signed in at once, and on to the consent page of the pending request.
        browser.until(ExpectedConditions.visibilityOfElementLocated(By.id("authorize")));
        assertTrue(driver.getCurrentUrl().contains("/oauth/authorize?"), driver.getCurrentUrl());
        assertEquals("Garden Planner", browser.text(By.id("application-name")));
        assertEquals(email, browser.text(By.id("signed-in-as")));
        assertTrue(driver.findElements(By.cssSelector("nav")).isEmpty(), "the decision stands alone");
        browser.screenshot("sign-up-consent");

        // "Not you? Switch account": signed out, and the sign-in page still leads back to the request.
        driver.findElement(By.id("switch-account")).click();
        browser.until(ExpectedConditions.urlContains("notice=signed_out"));
        assertTrue(driver.getCurrentUrl().contains("next=%2Foauth%2Fauthorize"), driver.getCurrentUrl());
        browser.screenshot("sign-up-switched-account");
        browser.submitSignIn(email, password);

        browser.until(ExpectedConditions.visibilityOfElementLocated(By.id("authorize"))).click();
        browser.until(ExpectedConditions.urlContains("/consent-callback/"));
        URI landed = URI.create(driver.getCurrentUrl());
        assertTrue(landed.toString().startsWith(redirectUri + "?code="), landed.toString());
        Map<String, String> answer = CodeFlow.parameters(landed);
        assertEquals("new-user", answer.get("state"));
        String accessToken = CodeFlow.redeem(client, answer.get("code"), redirectUri, pkce.verifier())
                .statusCode(200).body("scope", equalTo("public read_spaces"))
                .extract().path("access_token");
        Fixtures.me(accessToken).statusCode(200).body("email", equalTo(email));
        browser.assertNoConsoleErrors();
    }

    private String authorizeUrl(String clientId, String redirectUri, String scope, String state, Verifier pkce) {
        return base + "oauth/authorize?response_type=code&client_id=" + encode(clientId) + "&redirect_uri="
                + encode(redirectUri) + "&scope=" + encode(scope) + "&state=" + encode(state) + "&code_challenge="
                + encode(pkce.challenge()) + "&code_challenge_method=S256";
    }

    /** A public client of {@code owner} (no secret) with {@code redirectUri}. */
    private static Client registerPublicApp(Account owner, String name, String redirectUri) {
        JsonPath json = given().auth().preemptive().basic(owner.email(), owner.password())
                .contentType(ContentType.JSON)
                .body(Map.of("name", name, "scopes", Fixtures.ALL_SCOPES, "confidential", false,
                        "redirect_uri", redirectUri))
                .post("/api/v1/oauth/applications")
                .then().statusCode(201)
                .extract().jsonPath();
        return new Client(new App(json.getLong("id"), json.getString("client_id"), null, json.getString("scopes")),
                redirectUri);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
