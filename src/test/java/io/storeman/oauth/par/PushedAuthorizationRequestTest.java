package io.storeman.oauth.par;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.oauth2.sdk.AuthorizationRequest;
import com.nimbusds.oauth2.sdk.PushedAuthorizationErrorResponse;
import com.nimbusds.oauth2.sdk.PushedAuthorizationRequest;
import com.nimbusds.oauth2.sdk.PushedAuthorizationResponse;
import com.nimbusds.oauth2.sdk.PushedAuthorizationSuccessResponse;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.storeman.common.Secrets;
import io.storeman.ops.Housekeeping;
import io.storeman.support.CodeFlow;
import io.storeman.support.CodeFlow.Client;
import io.storeman.support.CodeFlow.Verifier;
import io.storeman.support.Fixtures;
import io.storeman.support.Fixtures.Account;
import io.storeman.support.Pages;
import io.storeman.support.Pages.Browser;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Pushed authorization requests (RFC 9126; docs/security.md Q1-Q5): {@code POST /oauth/par} and the
 * {@code request_uri} of {@code /oauth/authorize}, over HTTP, with Nimbus as the client where it helps.
 */
@QuarkusTest
class PushedAuthorizationRequestTest {

    private static final Pattern HIDDEN = Pattern.compile("<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]*)\">");
    private static final String PREFIX = "urn:ietf:params:oauth:request_uri:";

    @TestHTTPResource("/oauth/par")
    URI parEndpoint;

    @Inject
    Pool pool;

    @Inject
    Housekeeping housekeeping;

    @Test
    void pushWhenNimbusConfidentialClientThenCodeFlowThroughSignInAndConsentAndTheReferenceWorksOnce()
            throws Exception {
        Client client = CodeFlow.newClient(Fixtures.newUser(), "public read_items", true);
        Account user = Fixtures.newUser();
        Verifier pkce = Verifier.create();
        PushedAuthorizationRequest push = new PushedAuthorizationRequest(parEndpoint,
                new ClientSecretBasic(new ClientID(client.clientId()), new Secret(client.clientSecret())),
                new AuthorizationRequest.Builder(ResponseType.CODE, new ClientID(client.clientId()))
                        .redirectionURI(URI.create(client.redirectUri()))
                        .scope(new Scope("public", "read_items"))
                        .state(new State("pushed-state"))
                        .codeChallenge(new CodeVerifier(pkce.verifier()), CodeChallengeMethod.S256)
                        .build());
        com.nimbusds.oauth2.sdk.http.HTTPResponse http = push.toHTTPRequest().send();
        assertEquals(201, http.getStatusCode(), http.getBody());
        assertEquals("no-store", http.getHeaderValue("Cache-Control"));
        PushedAuthorizationResponse answer = PushedAuthorizationResponse.parse(http);
        assertTrue(answer.indicatesSuccess());
        PushedAuthorizationSuccessResponse success = answer.toSuccessResponse();
        String requestUri = success.getRequestURI().toString();
        assertTrue(requestUri.startsWith(PREFIX), requestUri);
        assertEquals(60, success.getLifetime());
        assertEquals(1, count("select count(*) from pushed_authorization_requests where reference_hash = $1",
                Secrets.sha256(requestUri)), "stored by its hash");
        assertEquals(0, count("select count(*) from pushed_authorization_requests where reference_hash = $1",
                requestUri), "never in clear");

        // Not signed in: to the sign-in page, which comes back with the reference alone; the URL's own
        // parameters (a scope, a state) are ignored (§4).
        String signIn = given().redirects().follow(false)
                .queryParam("client_id", client.clientId()).queryParam("request_uri", requestUri)
                .queryParam("scope", "public").queryParam("state", "from-the-url")
                .get("/oauth/authorize")
                .then().statusCode(303).extract().header("Location");
        String next = URLDecoder.decode(signIn.substring(signIn.indexOf("next=") + 5).split("&")[0],
                StandardCharsets.UTF_8);
        assertEquals("/oauth/authorize?client_id=" + client.clientId() + "&request_uri="
                + requestUri.replace(":", "%3A"), next);
        Response signedIn = Pages.visit("/users/sign_in").signIn(user, next);
        signedIn.then().statusCode(303);
        Browser browser = new Browser(signedIn.getCookie(Pages.SESSION_COOKIE), null);
        assertTrue(signedIn.getHeader("Location").endsWith(next), signedIn.getHeader("Location"));

        String page = browser.request().header("Sec-Fetch-Site", "same-origin").urlEncodingEnabled(false)
                .get(next).then().statusCode(200).extract().asString();
        Map<String, String> fields = hiddenFields(page);
        assertEquals(client.clientId(), fields.get("client_id"));
        assertEquals(requestUri, fields.get("request_uri"));
        assertFalse(fields.containsKey("code_challenge"), "the form carries the reference, not the request");
        assertTrue(page.contains("See the items in your spaces"), "the pushed scope is asked for");

        // Reloading the consent page before answering works (§4 allows it).
        browser.request().header("Sec-Fetch-Site", "same-origin").urlEncodingEnabled(false).get(next)
                .then().statusCode(200);

        String location = browser.request().formParams(fields).formParam("decision", "authorize")
                .post("/oauth/authorize").then().statusCode(303).extract().header("Location");
        Map<String, String> redirect = CodeFlow.parameters(URI.create(location));
        assertTrue(location.startsWith(client.redirectUri()), location);
        assertEquals("pushed-state", redirect.get("state"), "the pushed state, not the URL's");
        CodeFlow.redeem(client, redirect.get("code"), client.redirectUri(), pkce.verifier())
                .statusCode(200).body("scope", equalTo("public read_items"));

        // Used once: the form sent again, and the reference sent again, are invalid_request_uri.
        String again = browser.request().formParams(fields).formParam("decision", "authorize")
                .post("/oauth/authorize").then().statusCode(303).extract().header("Location");
        assertEquals("invalid_request_uri", CodeFlow.parameters(URI.create(again)).get("error"), again);
        assertInvalidRequestUri(browser, client, requestUri);
    }

    @Test
    void pushWhenPublicClientSendsClientIdThenCreatedAndItsConsentedRequestRedirectsAtOnce() throws Exception {
        Account user = Fixtures.newUser();
        Client client = CodeFlow.newClient(user, "public", false);
        Browser browser = Pages.signIn(user);
        Verifier pkce = Verifier.create();
        // Consent once through a plain request, so that the pushed one needs no page.
        String first = pushed(client, pkce, "first");
        Map<String, String> fields = hiddenFields(browser.request().queryParam("client_id", client.clientId())
                .queryParam("request_uri", first).get("/oauth/authorize").then().statusCode(200).extract().asString());
        browser.request().formParams(fields).formParam("decision", "deny").post("/oauth/authorize")
                .then().statusCode(303).header("Location", startsWith(client.redirectUri()));
        assertInvalidRequestUri(browser, client, first);

        String second = pushed(client, pkce, "second");
        fields = hiddenFields(browser.request().queryParam("client_id", client.clientId())
                .queryParam("request_uri", second).get("/oauth/authorize").then().statusCode(200).extract().asString());
        browser.request().formParams(fields).formParam("decision", "authorize").post("/oauth/authorize")
                .then().statusCode(303);

        String third = pushed(client, pkce, "third");
        String location = browser.request().queryParam("client_id", client.clientId())
                .queryParam("request_uri", third).get("/oauth/authorize")
                .then().statusCode(302).extract().header("Location");
        assertEquals("third", CodeFlow.parameters(URI.create(location)).get("state"));
        assertNotNull(CodeFlow.parameters(URI.create(location)).get("code"));
        assertInvalidRequestUri(browser, client, third);
    }

    @Test
    void pushWhenConfidentialClientWithoutOrWithWrongSecretThenInvalidClient() {
        Client client = CodeFlow.newClient(Fixtures.newUser(), "public", true);
        Map<String, String> request = request(client, Verifier.create(), "s");
        given().formParams(request).post("/oauth/par")
                .then().statusCode(401).body("error", equalTo("invalid_client"));
        given().auth().preemptive().basic(client.clientId(), "wrong-secret").formParams(request).post("/oauth/par")
                .then().statusCode(401).body("error", equalTo("invalid_client"));
        given().formParams(request).formParam("client_secret", "wrong-secret").post("/oauth/par")
                .then().statusCode(401).body("error", equalTo("invalid_client"));
        assertEquals(0, pending(client));
    }

    @Test
    void pushWhenParametersAreBadThenJsonErrorsAndNothingStored() {
        Client client = CodeFlow.newClient(Fixtures.newUser(), "public", true);
        Map<String, String> good = request(client, Verifier.create(), "s");
        assertRefused(client, with(good, "code_challenge", null), "invalid_request");
        assertRefused(client, with(good, "code_challenge_method", "plain"), "invalid_request");
        assertRefused(client, with(good, "response_type", "token"), "unsupported_response_type");
        assertRefused(client, with(good, "scope", "write_items"), "invalid_scope");
        assertRefused(client, with(good, "redirect_uri", "https://evil.example/callback"), "invalid_request");
        assertRefused(client, with(good, "request_uri", PREFIX + "abc"), "invalid_request");
        assertRefused(client, with(good, "request", "eyJhbGciOiJub25lIn0.e30."), "request_not_supported");
        assertRefused(client, with(good, "prompt", "none login"), "invalid_request");
        assertRefused(client, with(good, "id_token_hint", "not-a-token"), "invalid_request");
        as(client).contentType("application/json").body("{\"response_type\":\"code\"}")
                .post("/oauth/par").then().statusCode(400).body("error", equalTo("invalid_request"));
        assertEquals(0, pending(client));
    }

    @Test
    void authorizeWhenAnotherClientsOrExpiredOrUnknownReferenceThenInvalidRequestUriOnTheRedirect() {
        Account user = Fixtures.newUser();
        Browser browser = Pages.signIn(user);
        Client owner = CodeFlow.newClient(user, "public", true);
        Client other = CodeFlow.newClient(user, "public", true);
        String requestUri = pushed(owner, Verifier.create(), "s");

        assertInvalidRequestUri(browser, other, requestUri);
        assertInvalidRequestUri(browser, owner, PREFIX + Secrets.newToken());
        browser.request().queryParam("client_id", owner.clientId()).queryParam("request_uri", requestUri)
                .get("/oauth/authorize").then().statusCode(200);

        String expiring = pushed(owner, Verifier.create(), "s");
        execute("update pushed_authorization_requests set expires_at = now() - interval '1 second'"
                + " where reference_hash = $1", Secrets.sha256(expiring));
        assertInvalidRequestUri(browser, owner, expiring);
        housekeeping.run().await().indefinitely();
        assertEquals(0, count("select count(*) from pushed_authorization_requests where reference_hash = $1",
                Secrets.sha256(expiring)), "housekeeping deletes expired requests");

        // Any other request_uri stays unsupported (O6).
        String location = browser.request().queryParams(request(owner, Verifier.create(), "s"))
                .queryParam("request_uri", "https://client.example/request.jwt").get("/oauth/authorize")
                .then().statusCode(302).extract().header("Location");
        assertEquals("request_uri_not_supported", CodeFlow.parameters(URI.create(location)).get("error"));
    }

    @Test
    void authorizeWhenBrowserArrivesThenTheInteractionLifetimeStartsOnceAndReloadsDoNotExtendIt() {
        Client client = CodeFlow.newClient(Fixtures.newUser(), "public", true);
        String requestUri = pushed(client, Verifier.create(), "s");
        String hash = Secrets.sha256(requestUri);
        given().redirects().follow(false).queryParam("client_id", client.clientId())
                .queryParam("request_uri", requestUri).get("/oauth/authorize").then().statusCode(303);
        long lifetime = count("select extract(epoch from expires_at - started_at)::bigint from"
                + " pushed_authorization_requests where reference_hash = $1", hash);
        assertEquals(600, lifetime);
        execute("update pushed_authorization_requests set started_at = started_at - interval '5 minutes',"
                + " expires_at = expires_at - interval '5 minutes' where reference_hash = $1", hash);
        given().redirects().follow(false).queryParam("client_id", client.clientId())
                .queryParam("request_uri", requestUri).get("/oauth/authorize").then().statusCode(303);
        assertEquals(600, count("select extract(epoch from expires_at - started_at)::bigint from"
                + " pushed_authorization_requests where reference_hash = $1", hash));
        assertTrue(count("select extract(epoch from expires_at - now())::bigint from pushed_authorization_requests"
                + " where reference_hash = $1", hash) < 301, "a reload does not extend it");
    }

    @Test
    void authorizeWhenPushedRequestAsksPromptLoginOrMaxAgeZeroThenASignInSinceArrivalSatisfiesItAndNothingElse() {
        Account user = Fixtures.newUser();
        Client client = CodeFlow.newClient(user, "public", true);
        for (String[] ask : new String[][] {{"prompt", "login"}, {"max_age", "0"}}) {
            Browser browser = Pages.signIn(user);
            Map<String, String> request = with(request(client, Verifier.create(), "s"), ask[0], ask[1]);
            String requestUri = as(client).formParams(request).post("/oauth/par")
                    .then().statusCode(201).extract().path("request_uri");
            String signIn = browser.request().queryParam("client_id", client.clientId())
                    .queryParam("request_uri", requestUri).get("/oauth/authorize")
                    .then().statusCode(303).extract().header("Location");
            assertTrue(signIn.contains("prompt=login"), signIn);
            // "Back" to the request with the old session still asks for the password.
            browser.request().queryParam("client_id", client.clientId()).queryParam("request_uri", requestUri)
                    .get("/oauth/authorize").then().statusCode(303).header("Location", startsWith(
                            signIn.substring(0, signIn.indexOf('?'))));
            String next = URLDecoder.decode(signIn.substring(signIn.indexOf("next=") + 5).split("&")[0],
                    StandardCharsets.UTF_8);
            Response signedIn = Pages.visit("/users/sign_in").signIn(user, next);
            Browser again = new Browser(signedIn.getCookie(Pages.SESSION_COOKIE), null);
            String page = again.request().header("Sec-Fetch-Site", "same-origin").urlEncodingEnabled(false).get(next)
                    .then().statusCode(200).extract().asString();
            Map<String, String> fields = hiddenFields(page);
            String location = again.request().formParams(fields).formParam("decision", "authorize")
                    .post("/oauth/authorize").then().statusCode(303).extract().header("Location");
            assertNotNull(CodeFlow.parameters(URI.create(location)).get("code"), location);
        }
    }

    @Test
    void authorizeWhenApplicationRequiresPushedRequestsThenPlainRequestRefusedAndPushedOneWorks() {
        Account user = Fixtures.newUser();
        Client client = CodeFlow.newClient(user, "public", true);
        given().auth().preemptive().basic(user.email(), user.password()).contentType("application/json")
                .body(Map.of("require_pushed_authorization_requests", true))
                .patch("/api/v1/oauth/applications/" + client.app().id())
                .then().statusCode(200).body("require_pushed_authorization_requests", equalTo(true));
        Browser browser = Pages.signIn(user);
        Verifier pkce = Verifier.create();

        String location = browser.request().queryParams(request(client, pkce, "plain")).get("/oauth/authorize")
                .then().statusCode(302).extract().header("Location");
        Map<String, String> refused = CodeFlow.parameters(URI.create(location));
        assertEquals("invalid_request", refused.get("error"));
        assertEquals("plain", refused.get("state"));
        assertNull(refused.get("code"));
        // Nor may the consent form be posted with the parameters instead of the reference.
        Browser withToken = Pages.signIn(user);
        String posted = withToken.request().formParams(request(client, pkce, "plain"))
                .formParam("_csrf", withToken.csrf()).formParam("decision", "authorize").post("/oauth/authorize")
                .then().statusCode(303).extract().header("Location");
        assertEquals("invalid_request", CodeFlow.parameters(URI.create(posted)).get("error"), posted);

        String requestUri = pushed(client, pkce, "pushed");
        browser.request().queryParam("client_id", client.clientId()).queryParam("request_uri", requestUri)
                .get("/oauth/authorize").then().statusCode(200);
    }

    @Test
    void pushWhenOneAddressHasTooManyPendingRequestsThenSlowDownUntilOneIsUsed() {
        Account user = Fixtures.newUser();
        Browser browser = Pages.signIn(user);
        Client client = CodeFlow.newClient(user, "public", false);
        String first = null;
        for (int i = 0; i < 50; i++) {
            String requestUri = pushed(client, Verifier.create(), "s" + i);
            first = first == null ? requestUri : first;
        }
        as(client).formParams(request(client, Verifier.create(), "one-more")).post("/oauth/par")
                .then().statusCode(429).body("error", equalTo("slow_down"));
        assertEquals(50, pending(client));

        Map<String, String> fields = hiddenFields(browser.request().queryParam("client_id", client.clientId())
                .queryParam("request_uri", first).get("/oauth/authorize").then().statusCode(200).extract().asString());
        browser.request().formParams(fields).formParam("decision", "deny").post("/oauth/authorize")
                .then().statusCode(303);
        pushed(client, Verifier.create(), "after");
    }

    @Test
    void metadataWhenReadThenAdvertisesTheEndpointAndNoServerWideRequirement() {
        for (String path : new String[] {"/.well-known/oauth-authorization-server", "/.well-known/openid-configuration"}) {
            given().get(path).then().statusCode(200)
                    .body("pushed_authorization_request_endpoint", org.hamcrest.Matchers.endsWith("/oauth/par"))
                    .body("require_pushed_authorization_requests", equalTo(false))
                    .body("request_uri_parameter_supported", equalTo(false));
        }
    }

    // --- helpers

    private static Map<String, String> request(Client client, Verifier pkce, String state) {
        Map<String, String> request = new LinkedHashMap<>();
        request.put("response_type", "code");
        request.put("client_id", client.clientId());
        request.put("redirect_uri", client.redirectUri());
        request.put("scope", "public");
        request.put("state", state);
        request.put("code_challenge", pkce.challenge());
        request.put("code_challenge_method", "S256");
        return request;
    }

    private static Map<String, String> with(Map<String, String> request, String name, String value) {
        Map<String, String> changed = new LinkedHashMap<>(request);
        if (value == null) {
            changed.remove(name);
        } else {
            changed.put(name, value);
        }
        return changed;
    }

    /** A push from {@code client}: HTTP Basic when confidential; a public client's client_id is in the request. */
    private static io.restassured.specification.RequestSpecification as(Client client) {
        return client.clientSecret() == null ? given()
                : given().auth().preemptive().basic(client.clientId(), client.clientSecret());
    }

    private static String pushed(Client client, Verifier pkce, String state) {
        return as(client).formParams(request(client, pkce, state)).post("/oauth/par")
                .then().statusCode(201).body("expires_in", equalTo(60))
                .extract().path("request_uri");
    }

    private static void assertRefused(Client client, Map<String, String> request, String error) {
        as(client).formParams(request).post("/oauth/par")
                .then().statusCode(400).header("Cache-Control", "no-store").body("error", equalTo(error));
    }

    private static void assertInvalidRequestUri(Browser browser, Client client, String requestUri) {
        String location = browser.request().queryParam("client_id", client.clientId())
                .queryParam("request_uri", requestUri).queryParam("state", "from-the-url")
                .get("/oauth/authorize").then().statusCode(302).extract().header("Location");
        assertTrue(location.startsWith(client.redirectUri() + "?"), location);
        Map<String, String> answer = CodeFlow.parameters(URI.create(location));
        assertEquals("invalid_request_uri", answer.get("error"), location);
        assertNull(answer.get("state"), "the URL's state is not the request's");
        assertNull(answer.get("code"));
    }

    private static Map<String, String> hiddenFields(String page) {
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

    private long pending(Client client) {
        return count("select count(*) from pushed_authorization_requests where application_id = $1",
                client.app().id());
    }

    private long count(String sql, Object parameter) {
        return pool.preparedQuery(sql).execute(Tuple.of(parameter)).await().indefinitely()
                .iterator().next().getLong(0);
    }

    private void execute(String sql, Object parameter) {
        pool.preparedQuery(sql).execute(Tuple.of(parameter)).await().indefinitely();
    }
}
