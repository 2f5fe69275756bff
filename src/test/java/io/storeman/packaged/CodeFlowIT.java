package io.storeman.packaged;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.storeman.support.Fixtures;
import io.storeman.support.Fixtures.Account;
import io.storeman.support.Pages;
import io.storeman.support.Pages.Browser;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The authorization code flow with PKCE against the packaged application, as a browser and a client drive it: the
 * sign-in page, the consent page, the redirect with a code, the code redeemed with its verifier, the token used.
 */
@QuarkusIntegrationTest
class CodeFlowIT {

    private static final Pattern HIDDEN = Pattern.compile("<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]*)\">");
    private static final SecureRandom RANDOM = new SecureRandom();

    @Test
    void codeFlowWhenApprovedThenCodeRedeemsOnceWithTheVerifierAndTheTokenCallsTheApi() {
        Account user = Fixtures.newUser();
        Client client = newClient(Fixtures.newUser(), true);
        String verifier = verifier();
        Browser browser = Pages.signIn(user);

        String page = browser.request().queryParams(query(client, "public read_items", "state-1", challenge(verifier)))
                .get("/oauth/authorize")
                .then().statusCode(200).contentType(startsWith("text/html"))
                .body(containsString("name=\"decision\" value=\"authorize\""))
                .extract().asString();
        URI redirect = URI.create(browser.request().formParams(hiddenFields(page)).formParam("decision", "authorize")
                .post("/oauth/authorize")
                .then().statusCode(303).extract().header("Location"));
        assertTrue(redirect.toString().startsWith(client.redirectUri() + "?code="), redirect.toString());
        Map<String, String> answer = parameters(redirect);
        assertEquals("state-1", answer.get("state"));
        assertEquals("http://storeman.test", answer.get("iss"));

        String accessToken = redeem(client, answer.get("code"), verifier).then().statusCode(200)
                .body("scope", equalTo("public read_items"))
                .extract().path("access_token");
        given().auth().oauth2(accessToken).get("/api/v1/me").then().statusCode(200)
                .body("email", equalTo(user.email()));

        // A second use fails and takes the first use's tokens with it.
        redeem(client, answer.get("code"), verifier).then().statusCode(400).body("error", equalTo("invalid_grant"));
        Revocations.awaitRefused(accessToken);
    }

    @Test
    void codeFlowWhenWrongVerifierThenInvalidGrant() {
        Account user = Fixtures.newUser();
        Client client = newClient(user, true);
        String verifier = verifier();
        Browser browser = Pages.signIn(user);
        String page = browser.request().queryParams(query(client, "public", null, challenge(verifier)))
                .get("/oauth/authorize").then().statusCode(200).extract().asString();
        URI redirect = URI.create(browser.request().formParams(hiddenFields(page)).formParam("decision", "authorize")
                .post("/oauth/authorize").then().statusCode(303).extract().header("Location"));

        redeem(client, parameters(redirect).get("code"), verifier()).then().statusCode(400)
                .body("error", equalTo("invalid_grant"));
    }

    @Test
    void codeFlowWhenPublicClientThenRedeemsWithItsIdAndVerifierAlone() {
        Account user = Fixtures.newUser();
        Client client = newClient(Fixtures.newUser(), false);
        String verifier = verifier();
        Browser browser = Pages.signIn(user);
        String page = browser.request().queryParams(query(client, "public", "p", challenge(verifier)))
                .get("/oauth/authorize").then().statusCode(200).extract().asString();
        URI redirect = URI.create(browser.request().formParams(hiddenFields(page)).formParam("decision", "authorize")
                .post("/oauth/authorize").then().statusCode(303).extract().header("Location"));

        given().formParam("grant_type", "authorization_code").formParam("client_id", client.clientId())
                .formParam("code", parameters(redirect).get("code")).formParam("redirect_uri", client.redirectUri())
                .formParam("code_verifier", verifier)
                .post("/oauth/token").then().statusCode(200).body("scope", equalTo("public"));
    }

    @Test
    void authorizeWhenDeniedThenRedirectWithAccessDenied() {
        Account user = Fixtures.newUser();
        Client client = newClient(Fixtures.newUser(), true);
        Browser browser = Pages.signIn(user);
        String page = browser.request().queryParams(query(client, "public", "d", challenge(verifier())))
                .get("/oauth/authorize").then().statusCode(200).extract().asString();
        URI redirect = URI.create(browser.request().formParams(hiddenFields(page)).formParam("decision", "deny")
                .post("/oauth/authorize").then().statusCode(303).extract().header("Location"));
        assertEquals("access_denied", parameters(redirect).get("error"));
        assertEquals("d", parameters(redirect).get("state"));
    }

    record Client(String clientId, String clientSecret, String redirectUri) {
    }

    static Client newClient(Account owner, boolean confidential) {
        String redirectUri = confidential
                ? "https://client.example/callback/" + UUID.randomUUID()
                : "http://localhost:9999/callback/" + UUID.randomUUID();
        JsonPath json = given().auth().preemptive().basic(owner.email(), owner.password())
                .contentType(ContentType.JSON)
                .body(Map.of("name", "Packaged code flow app", "scopes", Fixtures.ALL_SCOPES,
                        "confidential", confidential, "redirect_uri", redirectUri))
                .post("/api/v1/oauth/applications")
                .then().statusCode(201).extract().jsonPath();
        return new Client(json.getString("client_id"), json.getString("client_secret"),
                json.getString("redirect_uri"));
    }

    static Map<String, String> query(Client client, String scope, String state, String challenge) {
        Map<String, String> query = new LinkedHashMap<>();
        query.put("response_type", "code");
        query.put("client_id", client.clientId());
        query.put("redirect_uri", client.redirectUri());
        if (scope != null) {
            query.put("scope", scope);
        }
        if (state != null) {
            query.put("state", state);
        }
        query.put("code_challenge", challenge);
        query.put("code_challenge_method", "S256");
        return query;
    }

    static String verifier() {
        byte[] bytes = new byte[48];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static String challenge(String verifier) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The consent form's hidden fields, unescaped as a browser would post them. */
    static Map<String, String> hiddenFields(String page) {
        Map<String, String> fields = new LinkedHashMap<>();
        int form = page.indexOf("<form method=\"post\" action=\"/oauth/authorize\">");
        assertTrue(form >= 0, "no consent form in the page");
        Matcher matcher = HIDDEN.matcher(page.substring(form, page.indexOf("</form>", form)));
        while (matcher.find()) {
            fields.put(matcher.group(1), matcher.group(2).replace("&quot;", "\"").replace("&#39;", "'")
                    .replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&"));
        }
        return fields;
    }

    static Map<String, String> parameters(URI redirect) {
        Map<String, String> parameters = new HashMap<>();
        String query = redirect.getRawQuery();
        if (query != null) {
            for (String pair : query.split("&")) {
                int eq = pair.indexOf('=');
                parameters.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return parameters;
    }

    private static io.restassured.response.Response redeem(Client client, String code, String verifier) {
        return given().auth().preemptive().basic(client.clientId(), client.clientSecret())
                .formParam("grant_type", "authorization_code").formParam("code", code)
                .formParam("redirect_uri", client.redirectUri()).formParam("code_verifier", verifier)
                .post("/oauth/token");
    }
}
