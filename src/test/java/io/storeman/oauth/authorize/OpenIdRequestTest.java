package io.storeman.oauth.authorize;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.openid.connect.sdk.claims.IDTokenClaimsSet;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.storeman.common.Secrets;
import io.storeman.oauth.token.OpenIdFlow;
import io.storeman.support.CodeFlow;
import io.storeman.support.CodeFlow.Client;
import io.storeman.support.CodeFlow.Verifier;
import io.storeman.support.Fixtures;
import io.storeman.support.Fixtures.Account;
import io.storeman.support.Pages;
import io.storeman.support.Pages.Browser;
import io.storeman.support.Pages.Visitor;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The OpenID Connect parameters of {@code /oauth/authorize} over HTTP, as a browser and a relying party meet them
 * (Core 1.0 §3.1.2.1, docs/security.md O5, O6): {@code prompt}, {@code max_age}, {@code login_hint},
 * {@code id_token_hint}, the parameters refused by name, and their way through the sign-in page and the consent form
 * into the ID token.
 */
@QuarkusTest
class OpenIdRequestTest {

    private static final String SCOPES = "openid email public read_items";
    private static final Pattern HIDDEN =
            Pattern.compile("<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]*)\">");

    @Inject
    CodeFlow flow;

    @Inject
    Pool pool;

    // --- prompt=none: never a page

    @Test
    void promptNoneWhenNoSessionThenLoginRequiredOnTheRedirectWithState() {
        Client client = OpenIdFlow.client(pool, Fixtures.newUser(), SCOPES);
        for (String scope : List.of("openid", "public")) {
            Response response = authorize(given().redirects().follow(false),
                    request(client, scope, Map.of("prompt", "none", "state", "s-none")));
            assertError(response, 302, client, "login_required", "s-none");
        }
    }

    @Test
    void promptNoneWhenSignedInWithoutConsentThenConsentRequiredAndNothingIssued() {
        Client client = OpenIdFlow.client(pool, Fixtures.newUser(), SCOPES);
        Browser browser = Pages.signIn(Fixtures.newUser());

        Response response = authorize(browser.request(), request(client, "openid", Map.of("prompt", "none",
                "state", "s-c")));

        assertError(response, 302, client, "consent_required", "s-c");
        assertEquals(0L, count("select count(*) from authorization_codes c join oauth_applications a"
                + " on a.id = c.application_id where a.client_id = $1", client.clientId()));
    }

    @Test
    void promptNoneWhenSignedInAndConsentedThenCodeAtOnceEvenFromOurOwnPage() throws Exception {
        Account user = Fixtures.newUser();
        Client client = OpenIdFlow.client(pool, Fixtures.newUser(), SCOPES);
        Browser browser = Pages.signIn(user);
        consent(browser, client, "openid public");

        Verifier pkce = Verifier.create();
        Response response = authorize(browser.request().header("Sec-Fetch-Site", "same-origin"),
                request(client, "openid public", pkce, Map.of("prompt", "none", "nonce", "none-nonce")));

        response.then().statusCode(302);
        String code = CodeFlow.parameters(URI.create(response.header("Location"))).get("code");
        assertNotNull(code, response.header("Location"));
        String idToken = CodeFlow.redeem(client, code, client.redirectUri(), pkce.verifier()).statusCode(200)
                .extract().path("id_token");
        assertEquals(Long.toString(user.id()), OpenIdFlow.validate(idToken, client, "ES256", "none-nonce")
                .getSubject().getValue());
    }

    @Test
    void promptNoneWhenMaxAgeZeroOrSessionOlderThanMaxAgeThenLoginRequired() {
        Account user = Fixtures.newUser();
        Client client = OpenIdFlow.client(pool, Fixtures.newUser(), SCOPES);
        Browser browser = Pages.signIn(user);
        consent(browser, client, "openid");

        assertError(authorize(browser.request(), request(client, "openid", Map.of("prompt", "none",
                "max_age", "0"))), 302, client, "login_required", null);
        authorize(browser.request(), request(client, "openid", Map.of("prompt", "none", "max_age", "300")))
                .then().statusCode(302).header("Location", startsWith(client.redirectUri() + "?code="));
        age(browser, Duration.ofMinutes(10));
        assertError(authorize(browser.request(), request(client, "openid", Map.of("prompt", "none",
                "max_age", "300"))), 302, client, "login_required", null);
    }

    @Test
    void promptNoneWhenIdTokenHintNamesAnotherUserThenLoginRequiredAndTheSameUserGetsACode() {
        Account user = Fixtures.newUser();
        Account other = Fixtures.newUser();
        Client client = OpenIdFlow.client(pool, Fixtures.newUser(), SCOPES);
        String othersHint = OpenIdFlow.codeFlow(flow, other, client, "openid", null).idToken();
        String usersHint = OpenIdFlow.codeFlow(flow, user, client, "openid", null).idToken();
        Browser browser = Pages.signIn(user); // the code flow above left the user's consent

        assertError(authorize(browser.request(), request(client, "openid", Map.of("prompt", "none",
                "id_token_hint", othersHint, "state", "hint"))), 302, client, "login_required", "hint");
        authorize(browser.request(), request(client, "openid", Map.of("prompt", "none", "id_token_hint",
                usersHint))).then().statusCode(302).header("Location", startsWith(client.redirectUri() + "?code="));
    }

    @Test
    void promptWhenNoneWithAnotherValueOrUnknownOrRepeatedThenInvalidRequest() {
        Client client = OpenIdFlow.client(pool, Fixtures.newUser(), SCOPES);
        Browser browser = Pages.signIn(Fixtures.newUser());
        for (String prompt : List.of("none login", "consent none", "bogus", "login login", "LOGIN", "login  consent")) {
            assertError(authorize(browser.request(), request(client, "openid", Map.of("prompt", prompt,
                    "state", "p"))), 302, client, "invalid_request", "p");
        }
    }

    // --- prompt=login and max_age: sign in again, once

    @Test
    void promptLoginWhenSignedInThenSignInFormAgainThenBackWithoutLoopingAndANewAuthTime() throws Exception {
        Account user = Fixtures.newUser();
        Client client = OpenIdFlow.client(pool, Fixtures.newUser(), SCOPES);
        Browser browser = Pages.signIn(user);
        consent(browser, client, "openid public");
        age(browser, Duration.ofMinutes(10));
        Verifier pkce = Verifier.create();

        Response asked = authorize(browser.request(), request(client, "openid public", pkce,
                Map.of("prompt", "login", "nonce", "login-nonce", "state", "s-login")));

        String code = signInAgainAndReturn(asked, browser, user, "prompt");
        IDTokenClaimsSet claims = OpenIdFlow.validate(CodeFlow.redeem(client, code, client.redirectUri(),
                pkce.verifier()).statusCode(200).extract().path("id_token"), client, "ES256", "login-nonce");
        long authTime = claims.getAuthenticationTime().toInstant().getEpochSecond();
        assertTrue(authTime >= Instant.now().getEpochSecond() - 60, "auth_time is the new sign-in: " + authTime);
    }

    @Test
    void maxAgeZeroWhenSignedInThenSignInAgainOnce() {
        Account user = Fixtures.newUser();
        Client client = OpenIdFlow.client(pool, Fixtures.newUser(), SCOPES);
        Browser browser = Pages.signIn(user);
        consent(browser, client, "openid");

        Response asked = authorize(browser.request(), request(client, "openid", Map.of("max_age", "0")));

        assertNotNull(signInAgainAndReturn(asked, browser, user, "max_age"));
    }

    @Test
    void maxAgeWhenSessionOlderThenSignInAgainAndWhenFreshThenNot() {
        Account user = Fixtures.newUser();
        Client client = OpenIdFlow.client(pool, Fixtures.newUser(), SCOPES);
        Browser browser = Pages.signIn(user);
        consent(browser, client, "openid");

        authorize(browser.request(), request(client, "openid", Map.of("max_age", "3600"))).then().statusCode(302)
                .header("Location", startsWith(client.redirectUri() + "?code="));
        age(browser, Duration.ofMinutes(10));
        authorize(browser.request(), request(client, "openid", Map.of("max_age", "3600"))).then().statusCode(302)
                .header("Location", startsWith(client.redirectUri() + "?code="));
        authorize(browser.request(), request(client, "openid", Map.of("max_age", "60"))).then().statusCode(303)
                .header("Location", containsString("/users/sign_in?next="));
    }

    @Test
    void maxAgeWhenNotANonNegativeIntegerOfNineDigitsThenInvalidRequest() {
        Client client = OpenIdFlow.client(pool, Fixtures.newUser(), SCOPES);
        for (String maxAge : List.of("-1", "+5", "abc", "1.5", "1e3", "1234567890", " 5")) {
            assertError(authorize(given().redirects().follow(false), request(client, "openid",
                    Map.of("max_age", maxAge, "state", "m"))), 302, client, "invalid_request", "m");
        }
    }

    // --- prompt=consent and select_account: the page although consent exists

    @Test
    void promptConsentOrSelectAccountWhenConsentGivenThenTheConsentPageAnyway() {
        Account user = Fixtures.newUser();
        Client client = OpenIdFlow.client(pool, Fixtures.newUser(), SCOPES);
        Browser browser = Pages.signIn(user);
        consent(browser, client, "openid");
        authorize(browser.request(), request(client, "openid", Map.of())).then().statusCode(302);

        for (String prompt : List.of("consent", "select_account", "consent select_account")) {
            String page = authorize(browser.request(), request(client, "openid", Map.of("prompt", prompt)))
                    .then().statusCode(200).extract().asString();
            assertTrue(page.contains("id=\"switch-account\""), page);
            assertTrue(page.contains(user.email()), "the page names the signed-in account");
        }
    }

    // --- login_hint

    @Test
    void loginHintWhenSignInNeededThenTheFormIsPrefilledEscapedAndTellsNothingAboutTheAccount() {
        Account user = Fixtures.newUser();
        Client client = OpenIdFlow.client(pool, Fixtures.newUser(), SCOPES);
        String hostile = "a\"><script>alert(1)</script>@example.com";

        String page = signInPageOf(authorize(given().redirects().follow(false), request(client, "openid",
                Map.of("login_hint", hostile))), null);
        assertTrue(page.contains("value=\"a&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;@example.com\""), page);
        assertFalse(page.contains("<script>alert"), page);

        Verifier pkce = Verifier.create();
        String known = signInPageOf(authorize(given().redirects().follow(false), request(client, "openid", pkce,
                Map.of("login_hint", user.email()))), null);
        String unknown = signInPageOf(authorize(given().redirects().follow(false), request(client, "openid", pkce,
                Map.of("login_hint", "nobody-" + user.email()))), null);
        assertTrue(known.contains("value=\"" + user.email() + "\""), known);
        assertEquals(withoutTokens(known).replace(user.email(), "X"),
                withoutTokens(unknown).replace("nobody-" + user.email(), "X"));

        assertError(authorize(given().redirects().follow(false), request(client, "openid",
                Map.of("login_hint", "x".repeat(255), "state", "h"))), 302, client, "invalid_request", "h");
    }

    // --- id_token_hint

    @Test
    void idTokenHintWhenForgedOrOtherClientsOrAnAccessTokenThenInvalidRequest() {
        Account user = Fixtures.newUser();
        Account owner = Fixtures.newUser();
        Client client = OpenIdFlow.client(pool, owner, SCOPES);
        Client other = OpenIdFlow.client(pool, owner, SCOPES);
        OpenIdFlow.Redeemed mine = OpenIdFlow.codeFlow(flow, user, client, "openid", null);
        String othersIdToken = OpenIdFlow.codeFlow(flow, user, other, "openid", null).idToken();
        String[] parts = mine.idToken().split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                .replace("\"sub\":\"" + user.id() + "\"", "\"sub\":\"1\"");
        assertFalse(payload.contains("\"sub\":\"" + user.id() + "\""), payload);
        String forged = parts[0] + "." + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(payload.getBytes(StandardCharsets.UTF_8)) + "." + parts[2];

        for (String hint : List.of(forged, othersIdToken, mine.accessToken(), "not.a.jwt")) {
            assertError(authorize(given().redirects().follow(false), request(client, "openid",
                    Map.of("id_token_hint", hint, "state", "t"))), 302, client, "invalid_request", "t");
        }
        // The good hint passes validation: without a session, on to the sign-in page.
        authorize(given().redirects().follow(false), request(client, "openid",
                Map.of("id_token_hint", mine.idToken()))).then().statusCode(303);
    }

    // --- refused by name, and the other parameters

    @Test
    void requestRequestUriRegistrationAndClaimsThenRefusedByName() {
        Client client = OpenIdFlow.client(pool, Fixtures.newUser(), SCOPES);
        Map<String, String> refused = Map.of("request", "request_not_supported",
                "request_uri", "request_uri_not_supported", "registration", "registration_not_supported",
                "claims", "invalid_request");
        for (Map.Entry<String, String> parameter : refused.entrySet()) {
            assertError(authorize(given().redirects().follow(false), request(client, "openid",
                    Map.of(parameter.getKey(), "{\"x\":1}", "state", "r"))), 302, client, parameter.getValue(), "r");
        }
    }

    @Test
    void responseModeDisplayAndNonceWhenOutsideWhatIsSupportedThenInvalidRequest() {
        Client client = OpenIdFlow.client(pool, Fixtures.newUser(), SCOPES);
        for (Map<String, String> parameters : List.of(Map.of("response_mode", "fragment"),
                Map.of("response_mode", "form_post"), Map.of("display", "bogus"), Map.of("nonce", "n".repeat(513)))) {
            Map<String, String> withState = new LinkedHashMap<>(parameters);
            withState.put("state", "d");
            assertError(authorize(given().redirects().follow(false), request(client, "openid", withState)), 302,
                    client, "invalid_request", "d");
        }
        for (Map<String, String> parameters : List.of(Map.of("response_mode", "query"), Map.of("display", "popup"),
                Map.of("display", "page"), Map.of("nonce", "n".repeat(512)), Map.of("ui_locales", "de"),
                Map.of("acr_values", "x"))) {
            authorize(given().redirects().follow(false), request(client, "openid", parameters)).then()
                    .statusCode(303).header("Location", containsString("/users/sign_in?next="));
        }
    }

    // --- the consent form carries every parameter to the code

    @Test
    void consentFormWhenAuthorizedThenEveryParameterSurvivedAndTheNonceReachesTheIdToken() throws Exception {
        Account user = Fixtures.newUser();
        Client client = OpenIdFlow.client(pool, Fixtures.newUser(), SCOPES);
        String hint = OpenIdFlow.codeFlow(flow, user, client, "openid", null).idToken();
        Browser browser = Pages.signIn(user);
        Verifier pkce = Verifier.create();
        Map<String, String> sent = new LinkedHashMap<>();
        sent.put("nonce", "round <trip> & \"nonce\"");
        sent.put("prompt", "consent");
        sent.put("max_age", "3600");
        sent.put("login_hint", user.email());
        sent.put("id_token_hint", hint);
        sent.put("display", "page");
        sent.put("response_mode", "query");
        sent.put("state", "form");

        String page = authorize(browser.request(), request(client, "openid public", pkce, sent))
                .then().statusCode(200).extract().asString();
        Map<String, String> fields = hiddenFields(page);
        sent.forEach((name, value) -> assertEquals(value, fields.get(name), name));

        Response decided = browser.request().formParams(fields).formParam("decision", "authorize")
                .post("/oauth/authorize");
        decided.then().statusCode(303);
        Map<String, String> answer = CodeFlow.parameters(URI.create(decided.header("Location")));
        assertEquals("form", answer.get("state"));
        String idToken = CodeFlow.redeem(client, answer.get("code"), client.redirectUri(), pkce.verifier())
                .statusCode(200).extract().path("id_token");
        OpenIdFlow.validate(idToken, client, "ES256", "round <trip> & \"nonce\"");
    }

    // --- the OpenAPI document

    @Test
    void openApiWhenFetchedThenAuthorizeDocumentsTheOpenIdParameters() {
        List<String> names = given().queryParam("format", "json").get("/q/openapi").then().statusCode(200)
                .extract().jsonPath().getList("paths.'/oauth/authorize'.get.parameters.name");
        assertTrue(names.containsAll(List.of("nonce", "prompt", "max_age", "login_hint", "id_token_hint", "display",
                "response_mode", "request", "request_uri", "registration", "claims")), names.toString());
    }

    // --- helpers

    /**
     * Follows an answer that sends a signed-in browser to sign in again: the sign-in page shows its form although the
     * browser has a session, its return path no longer holds {@code dropped}, the user signs in, and the return path
     * leads to a code without asking to sign in again. Answers the code.
     */
    private String signInAgainAndReturn(Response asked, Browser browser, Account user, String dropped) {
        asked.then().statusCode(303).header("Location", containsString("/users/sign_in?next="));
        String location = asked.header("Location");
        assertTrue(location.contains("prompt=login"), location);
        String next = next(location);
        assertFalse(next.contains(dropped + "="), next);

        Response form = given().redirects().follow(false).urlEncodingEnabled(false)
                .cookie(Pages.SESSION_COOKIE, browser.sessionCookie()).get(location);
        form.then().statusCode(200);
        Visitor visitor = new Visitor(form.getCookie(Pages.PRE_SESSION_COOKIE), Pages.formToken(form.asString()));
        Response signedIn = visitor.request().cookie(Pages.SESSION_COOKIE, browser.sessionCookie())
                .formParam("_csrf", visitor.csrf()).formParam("email", user.email())
                .formParam("password", user.password()).formParam("next", next).post("/users/sign_in");
        signedIn.then().statusCode(303);
        String session = signedIn.getCookie(Pages.SESSION_COOKIE);
        assertNotNull(session);

        Response back = given().redirects().follow(false).urlEncodingEnabled(false)
                .cookie(Pages.SESSION_COOKIE, session).get(signedIn.header("Location"));
        back.then().statusCode(302).header("Location", startsWith("http"));
        Map<String, String> answer = CodeFlow.parameters(URI.create(back.header("Location")));
        assertNull(answer.get("error"), back.header("Location"));
        return answer.get("code");
    }

    /** The sign-in page a redirect leads to, fetched as it is ({@code session} may be null). */
    private static String signInPageOf(Response redirect, String session) {
        redirect.then().statusCode(303);
        RequestSpecification request = given().redirects().follow(false).urlEncodingEnabled(false);
        if (session != null) {
            request.cookie(Pages.SESSION_COOKIE, session);
        }
        return request.get(redirect.header("Location")).then().statusCode(200).extract().asString();
    }

    private static String next(String signInLocation) {
        Matcher matcher = Pattern.compile("[?&]next=([^&]*)").matcher(signInLocation);
        assertTrue(matcher.find(), signInLocation);
        return URLDecoder.decode(matcher.group(1), StandardCharsets.UTF_8);
    }

    /** The page without what differs on every load (tokens) or names the request (its return path). */
    private static String withoutTokens(String page) {
        return page.replaceAll("name=\"next\" value=\"[^\"]*\"", "name=\"next\"")
                .replaceAll("next=[^\"]*\"", "next=N\"")
                .replaceAll("value=\"[A-Za-z0-9_-]{20,}\"", "value=\"T\"")
                .replaceAll("content=\"[A-Za-z0-9_-]{20,}\"", "content=\"T\"");
    }

    /** The user approves {@code scope} on the consent page once, so later requests may skip it. */
    private static void consent(Browser browser, Client client, String scope) {
        String page = authorize(browser.request(), request(client, scope, Map.of())).then().statusCode(200)
                .extract().asString();
        browser.request().formParams(hiddenFields(page)).formParam("decision", "authorize").post("/oauth/authorize")
                .then().statusCode(303);
    }

    /** Moves the start of the browser's session back by {@code by}, as if the user had signed in that long ago. */
    private void age(Browser browser, Duration by) {
        pool.preparedQuery("update web_sessions set created_at = created_at - make_interval(secs => $1)"
                        + " where token_hash = $2")
                .execute(Tuple.of((double) by.toSeconds(), Secrets.sha256(browser.sessionCookie())))
                .await().atMost(Duration.ofSeconds(10));
    }

    private static Response authorize(RequestSpecification request, Map<String, String> query) {
        return request.queryParams(query).get("/oauth/authorize");
    }

    private static Map<String, String> request(Client client, String scope, Map<String, String> extra) {
        return request(client, scope, Verifier.create(), extra);
    }

    private static Map<String, String> request(Client client, String scope, Verifier pkce,
            Map<String, String> extra) {
        Map<String, String> query = new LinkedHashMap<>();
        query.put("response_type", "code");
        query.put("client_id", client.clientId());
        query.put("redirect_uri", client.redirectUri());
        query.put("scope", scope);
        query.put("code_challenge", pkce.challenge());
        query.put("code_challenge_method", "S256");
        query.putAll(extra);
        return query;
    }

    private static void assertError(Response response, int status, Client client, String error, String state) {
        response.then().statusCode(status).header("Location", startsWith(client.redirectUri() + "?error="));
        Map<String, String> answer = CodeFlow.parameters(URI.create(response.header("Location")));
        assertEquals(error, answer.get("error"), response.header("Location"));
        assertEquals(state, answer.get("state"));
        assertEquals(OpenIdFlow.ISSUER, answer.get("iss"));
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

    private long count(String sql, Object... parameters) {
        return pool.preparedQuery(sql).execute(Tuple.from(parameters))
                .map(rows -> rows.iterator().next().getLong(0))
                .await().atMost(Duration.ofSeconds(10));
    }
}
