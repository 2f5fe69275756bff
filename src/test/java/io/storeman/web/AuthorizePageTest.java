package io.storeman.web;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.AuthorizationErrorResponse;
import com.nimbusds.oauth2.sdk.AuthorizationResponse;
import com.nimbusds.oauth2.sdk.AuthorizationSuccessResponse;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.oauth2.sdk.token.Tokens;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
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
import java.net.Socket;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code GET/POST /oauth/authorize} over HTTP as a browser drives it: sign-in and back, the consent page, the
 * redirects with a code or an error, and the refusals that must never redirect.
 */
@QuarkusTest
class AuthorizePageTest {

    private static final Pattern HIDDEN = Pattern.compile("<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]*)\">");

    @TestHTTPResource("/oauth/authorize")
    URI authorizeEndpoint;

    @TestHTTPResource("/oauth/token")
    URI tokenEndpoint;

    @Inject
    Pool pool;

    // --- Sign-in first

    @Test
    void authorizeWhenNotSignedInThenSignInPageAndBackToTheConsentPage() {
        Account user = Fixtures.newUser();
        Client client = CodeFlow.newClient(Fixtures.newUser(), "public read_items", true);
        Verifier pkce = Verifier.create();

        String signIn = given().redirects().follow(false)
                .queryParams(query(client, "public read_items", "s-1", pkce))
                .get("/oauth/authorize")
                .then().statusCode(303)
                .header("Cache-Control", "no-store")
                .header("Location", containsString("/users/sign_in?next=%2Foauth%2Fauthorize%3F"))
                .extract().header("Location");
        String next = URLDecoder.decode(signIn.substring(signIn.indexOf("next=") + 5), StandardCharsets.UTF_8);
        assertTrue(next.startsWith("/oauth/authorize?response_type=code&client_id=" + client.clientId()), next);

        // The sign-in page the browser lands on keeps the return path in its form.
        Response signInPage = given().urlEncodingEnabled(false).get(URI.create(signIn).getRawPath() + "?"
                + URI.create(signIn).getRawQuery());
        signInPage.then().statusCode(200);
        assertTrue(signInPage.asString().contains("name=\"next\" value=\"" + next.replace("&", "&amp;") + "\""));
        Visitor visitor = new Visitor(signInPage.getCookie(Pages.PRE_SESSION_COOKIE),
                Pages.formToken(signInPage.asString()));
        Response signedIn = visitor.signIn(user, next);
        signedIn.then().statusCode(303).header("Location", endsWith(next));
        String session = signedIn.getCookie(Pages.SESSION_COOKIE);

        String page = given().redirects().follow(false).urlEncodingEnabled(false)
                .cookie(Pages.SESSION_COOKIE, session)
                .get(URI.create(signedIn.header("Location")).getRawPath() + "?"
                        + URI.create(signedIn.header("Location")).getRawQuery())
                .then().statusCode(200)
                .extract().asString();
        assertTrue(page.contains("Authorize <bdi id=\"application-name\">Code flow app</bdi>?"), page);
        assertEquals("s-1", hiddenFields(page).get("state"));
    }

    @Test
    void signInPageWhenNextIsAnAuthorizationRequestThenItIsKeptInTheForm() {
        String next = "/oauth/authorize?response_type=code&client_id=abc&state=x%20y";
        String page = given().urlEncodingEnabled(false)
                .get("/users/sign_in?next=" + URLEncoder.encode(next, StandardCharsets.UTF_8))
                .then().statusCode(200).extract().asString();
        assertTrue(page.contains("name=\"next\" value=\"/oauth/authorize?response_type=code&amp;client_id=abc"
                + "&amp;state=x%20y\""), page);
    }

    @Test
    void signInWhenNextPretendsToBeAnAuthorizationRequestThenOnlyTheAccountPage() {
        Account user = Fixtures.newUser();
        for (String next : List.of("https://evil.example/oauth/authorize?x=1", "//evil.example/oauth/authorize?x=1",
                "/\\evil.example/oauth/authorize?x=1", "/oauth/authorize/../../evil?x=1",
                "/oauth/authorize@evil.example?x=1", "/oauth/authorizeX?x=1", "/oauth/authorize?x=%zz",
                "/oauth/authorize?x=1\r\nSet-Cookie:%20a=b", "/oauth/authorize?x=<script>", "/oauth/authorize?x=1#f",
                "/oauth/authorize?", " /oauth/authorize?x=1", "/OAUTH/authorize?x=1",
                "http:/oauth/authorize?x=1")) {
            Visitor visitor = Pages.visit("/users/sign_in");
            visitor.signIn(user, next).then().statusCode(303)
                    .header("Location", endsWith("/account"))
                    .header("Location", not(containsString("evil")));
        }
    }

    @Test
    void signInPageWhenAlreadySignedInAndNextIsAnAuthorizationRequestThenBackToIt() {
        Browser browser = Pages.signIn(Fixtures.newUser());
        String next = "/oauth/authorize?response_type=code&client_id=abc";
        browser.request().urlEncodingEnabled(false)
                .get("/users/sign_in?next=" + URLEncoder.encode(next, StandardCharsets.UTF_8))
                .then().statusCode(303).header("Location", endsWith(next));
    }

    // --- Sign-up first, and "Switch account" (docs/security.md X5)

    @Test
    void signInPageWhenNextIsAnAuthorizationRequestThenItsSignUpLinkCarriesIt() {
        String next = "/oauth/authorize?response_type=code&client_id=abc&state=x%20y";
        String encoded = URLEncoder.encode(next, StandardCharsets.UTF_8);
        String page = given().urlEncodingEnabled(false).get("/users/sign_in?next=" + encoded)
                .then().statusCode(200).extract().asString();
        assertTrue(page.contains("<a href=\"/users/sign_up?next=" + encoded + "\" id=\"sign-up-link\">"), page);
        String signUp = given().urlEncodingEnabled(false).get("/users/sign_up?next=" + encoded)
                .then().statusCode(200).extract().asString();
        assertTrue(signUp.contains("name=\"next\" value=\"/oauth/authorize?response_type=code&amp;client_id=abc"
                + "&amp;state=x%20y\""), signUp);
        assertTrue(signUp.contains("<a href=\"/users/sign_in?next=" + encoded + "\" id=\"sign-in-link\">"), signUp);
    }

    @Test
    void signUpWhenNextIsAnAuthorizationRequestThenSignedInAndBackToTheConsentPage() {
        Client client = CodeFlow.newClient(Fixtures.newUser(), "public read_items", true);
        String signIn = given().redirects().follow(false)
                .queryParams(query(client, "public read_items", "s-up", Verifier.create()))
                .get("/oauth/authorize")
                .then().statusCode(303).extract().header("Location");
        String next = URLDecoder.decode(signIn.substring(signIn.indexOf("next=") + 5), StandardCharsets.UTF_8);
        String email = "consent-sign-up-" + java.util.UUID.randomUUID() + "@example.com";

        Response signedUp = signUp(email, next);
        signedUp.then().statusCode(303).header("Location", endsWith(next));
        String session = signedUp.getCookie(Pages.SESSION_COOKIE);
        assertNotNull(session, "sign-up signs the new account in");
        String page = given().redirects().follow(false).urlEncodingEnabled(false)
                .cookie(Pages.SESSION_COOKIE, session)
                .get(next)
                .then().statusCode(200)
                .extract().asString();
        assertTrue(page.contains("Authorize <bdi id=\"application-name\">Code flow app</bdi>?"), page);
        assertTrue(page.contains("<strong class=\"email\" id=\"signed-in-as\">" + email + "</strong>"), page);
        assertEquals("s-up", hiddenFields(page).get("state"));
    }

    @Test
    void signUpWhenNextPretendsToBeAnAuthorizationRequestThenOnlyTheAccountPage() {
        for (String next : List.of("https://evil.example/oauth/authorize?x=1", "//evil.example/oauth/authorize?x=1",
                "/\\evil.example/oauth/authorize?x=1", "/oauth/authorize/../../evil?x=1", "/oauth/authorize?x=%zz",
                "/oauth/authorize?x=1\r\nSet-Cookie:%20a=b", "/oauth/authorize?x=1#f", "http:/oauth/authorize?x=1")) {
            signUp("evil-next-" + java.util.UUID.randomUUID() + "@example.com", next).then().statusCode(303)
                    .header("Location", endsWith("/account?notice=signed_up"))
                    .header("Location", not(containsString("evil")));
        }
    }

    @Test
    void consentPageWhenShownThenNoAccountMenuButASwitchAccountFormThatKeepsTheRequest() {
        Client client = CodeFlow.newClient(Fixtures.newUser(), "public", true);
        Account user = Fixtures.newUser();
        Browser browser = Pages.signIn(user);
        String page = consentPage(browser, client, "public", "switch", Verifier.create());
        assertFalse(page.contains("href=\"/account/oauth/applications\""), "no account menu on the consent page");
        assertFalse(page.contains("<nav"), "no navigation on the consent page");
        assertTrue(page.contains("<strong class=\"email\" id=\"signed-in-as\">" + user.email() + "</strong>"), page);

        Matcher form = Pattern.compile("<form method=\"post\" action=\"/users/sign_out\" class=\"switch-account\">"
                + "\\s*<input type=\"hidden\" name=\"_csrf\" value=\"([^\"]+)\">"
                + "\\s*<input type=\"hidden\" name=\"next\" value=\"([^\"]+)\">").matcher(page);
        assertTrue(form.find(), page);
        String next = unescape(form.group(2));
        assertTrue(next.startsWith("/oauth/authorize?response_type=code&client_id=" + client.clientId()), next);
        assertTrue(next.contains("&state=switch"), next);

        String signIn = browser.request().formParam("_csrf", unescape(form.group(1))).formParam("next", next)
                .post("/users/sign_out")
                .then().statusCode(303)
                .extract().header("Location");
        assertTrue(signIn.endsWith("/users/sign_in?next=" + URLEncoder.encode(next, StandardCharsets.UTF_8)
                + "&notice=signed_out"), signIn);
        browser.request().get("/account").then().statusCode(303);
        String signInPage = given().urlEncodingEnabled(false)
                .get(URI.create(signIn).getRawPath() + "?" + URI.create(signIn).getRawQuery())
                .then().statusCode(200).extract().asString();
        assertTrue(signInPage.contains("name=\"next\" value=\"" + next.replace("&", "&amp;") + "\""), signInPage);
        assertTrue(signInPage.contains("You have signed out."), signInPage);
    }

    /** The sign-up form, posted with {@code next} as the sign-in page's "Sign up" link carries it. */
    private static Response signUp(String email, String next) {
        Visitor visitor = Pages.visit("/users/sign_up");
        return visitor.request().formParam("_csrf", visitor.csrf())
                .formParam("email", email)
                .formParam("password", Fixtures.PASSWORD)
                .formParam("password_confirmation", Fixtures.PASSWORD)
                .formParam("next", next)
                .post("/users/sign_up");
    }

    // --- The consent page

    @Test
    void authorizeWhenSignedInThenConsentPageWithApplicationScopesHostButtonsAndHiddenFieldsButNoOwner() {
        Account owner = Fixtures.newUser();
        Client client = CodeFlow.newClient(owner, Fixtures.ALL_SCOPES, true);
        Browser browser = Pages.signIn(Fixtures.newUser());
        Verifier pkce = Verifier.create();

        Response response = browser.request().queryParams(query(client, "public write_spaces", "st<&>\"'", pkce))
                .get("/oauth/authorize");
        response.then().statusCode(200)
                .contentType(startsWith("text/html"))
                .header("Cache-Control", "no-store")
                .header("Pragma", "no-cache")
                .header("X-Frame-Options", "SAMEORIGIN")
                .header("Content-Security-Policy", containsString("frame-ancestors 'none'"))
                .header("Content-Security-Policy", containsString("form-action 'self' https://client.example"));
        String page = response.asString();
        assertTrue(page.contains("<bdi id=\"application-name\">Code flow app</bdi>"), page);
        // Whoever registered the application is none of the user's business (docs/security.md P2).
        assertFalse(page.contains(owner.email()), page);
        assertFalse(page.contains("application-owner"), page);
        assertTrue(page.contains(io.storeman.oauth.ScopeWords.describe(io.storeman.oauth.Scope.PUBLIC)), page);
        assertTrue(page.contains(io.storeman.oauth.ScopeWords.describe(io.storeman.oauth.Scope.WRITE_SPACES)), page);
        assertFalse(page.contains(io.storeman.oauth.ScopeWords.describe(io.storeman.oauth.Scope.READ_ITEMS)), page);
        assertTrue(page.contains("<strong id=\"redirect-host\">client.example</strong>"), page);
        assertTrue(page.contains("name=\"decision\" value=\"authorize\""), page);
        assertTrue(page.contains("name=\"decision\" value=\"deny\""), page);
        assertFalse(page.contains("st<&>"), "the state is escaped");

        Map<String, String> fields = hiddenFields(page);
        assertEquals(browser.csrf(), fields.get("_csrf"));
        assertEquals("code", fields.get("response_type"));
        assertEquals(client.clientId(), fields.get("client_id"));
        assertEquals(client.redirectUri(), fields.get("redirect_uri"));
        assertEquals("public write_spaces", fields.get("scope"));
        assertEquals("st<&>\"'", fields.get("state"));
        assertEquals(pkce.challenge(), fields.get("code_challenge"));
        assertEquals("S256", fields.get("code_challenge_method"));
        assertEquals(0, codesOf(client), "showing the page issues nothing");
    }

    @Test
    void authorizeWhenApprovedThenRedirectWithCodeAndStateAndTheCodeRedeemsWithTheVerifier() {
        Account user = Fixtures.newUser();
        Client client = CodeFlow.newClient(Fixtures.newUser(), "public read_items", true);
        Browser browser = Pages.signIn(user);
        Verifier pkce = Verifier.create();

        String page = consentPage(browser, client, "public read_items", "state-42", pkce);
        URI redirect = URI.create(decide(browser, page, "authorize").then().statusCode(303)
                .header("Cache-Control", "no-store")
                .extract().header("Location"));
        assertTrue(redirect.toString().startsWith(client.redirectUri() + "?code="), redirect.toString());
        Map<String, String> answer = CodeFlow.parameters(redirect);
        assertEquals("state-42", answer.get("state"));
        assertEquals("http://storeman.test", answer.get("iss"));

        // The code redeems once, with the verifier, at the token endpoint; the token speaks for the user.
        String accessToken = CodeFlow.redeem(client, answer.get("code"), client.redirectUri(), pkce.verifier())
                .statusCode(200).body("scope", equalTo("public read_items"))
                .extract().path("access_token");
        Fixtures.me(accessToken).statusCode(200)
                .body("email", equalTo(user.email()));
    }

    @Test
    void authorizeWhenNimbusBuildsTheRequestThenItsCodeRedeemsThroughNimbus() throws Exception {
        Account user = Fixtures.newUser();
        Client client = CodeFlow.newClient(Fixtures.newUser(), Fixtures.ALL_SCOPES, true);
        Browser browser = Pages.signIn(user);
        URI redirectUri = URI.create(client.redirectUri());
        CodeVerifier verifier = new CodeVerifier();
        State state = new State();
        URI request = new com.nimbusds.oauth2.sdk.AuthorizationRequest.Builder(ResponseType.CODE,
                new ClientID(client.clientId()))
                .endpointURI(authorizeEndpoint)
                .redirectionURI(redirectUri)
                .scope(new Scope("public", "read_spaces"))
                .state(state)
                .codeChallenge(verifier, CodeChallengeMethod.S256)
                .build()
                .toURI();

        // The browser's steps: the page from Nimbus' URL as it is (scope joined with '+'), then "Authorize".
        String page = browser.request().urlEncodingEnabled(false)
                .get("/oauth/authorize?" + request.getRawQuery())
                .then().statusCode(200).extract().asString();
        assertEquals("public read_spaces", hiddenFields(page).get("scope"));
        URI redirect = URI.create(decide(browser, page, "authorize").then().statusCode(303)
                .extract().header("Location"));

        AuthorizationResponse response = AuthorizationResponse.parse(redirect);
        assertTrue(response.indicatesSuccess());
        AuthorizationSuccessResponse success = response.toSuccessResponse();
        assertEquals(state, success.getState());
        AuthorizationCode code = success.getAuthorizationCode();
        TokenResponse tokens = TokenResponse.parse(new TokenRequest(tokenEndpoint,
                new ClientSecretBasic(new ClientID(client.clientId()), new Secret(client.clientSecret())),
                new AuthorizationCodeGrant(code, redirectUri, verifier)).toHTTPRequest().send());
        assertTrue(tokens.indicatesSuccess(), () -> tokens.toErrorResponse().getErrorObject().toString());
        Tokens issued = tokens.toSuccessResponse().getTokens();
        assertEquals(new Scope("public", "read_spaces"), issued.getAccessToken().getScope());
        assertNotNull(issued.getRefreshToken());
    }

    @Test
    void authorizeWhenDeniedThenAccessDeniedWithStateAndNoCodeOrConsent() throws Exception {
        Account user = Fixtures.newUser();
        Client client = CodeFlow.newClient(Fixtures.newUser(), "public", true);
        Browser browser = Pages.signIn(user);
        String page = consentPage(browser, client, null, "deny-state", Verifier.create());

        URI redirect = URI.create(decide(browser, page, "deny").then().statusCode(303)
                .header("Cache-Control", "no-store").extract().header("Location"));
        assertTrue(redirect.toString().startsWith(client.redirectUri() + "?error=access_denied"), redirect.toString());
        AuthorizationErrorResponse error = AuthorizationResponse.parse(redirect).toErrorResponse();
        assertEquals("access_denied", error.getErrorObject().getCode());
        assertEquals("deny-state", error.getState().getValue());
        assertEquals(0, codesOf(client));
        assertEquals(0, consentsOf(user, client));
        // Denying is not remembered: the next request asks again.
        consentPage(browser, client, null, null, Verifier.create());
    }

    @Test
    void authorizeWhenConsentGivenBeforeThenSecondRequestRedirectsAtOnceAndWiderScopesAskAgain() {
        Account user = Fixtures.newUser();
        Client client = CodeFlow.newClient(Fixtures.newUser(), Fixtures.ALL_SCOPES, true);
        Browser browser = Pages.signIn(user);
        decide(browser, consentPage(browser, client, "public read_items", null, Verifier.create()), "authorize")
                .then().statusCode(303);

        Verifier pkce = Verifier.create();
        Response again = browser.request().queryParams(query(client, "read_items", "again", pkce))
                .get("/oauth/authorize");
        again.then().statusCode(302).header("Cache-Control", "no-store");
        Map<String, String> answer = CodeFlow.parameters(URI.create(again.header("Location")));
        assertEquals("again", answer.get("state"));
        CodeFlow.redeem(client, answer.get("code"), client.redirectUri(), pkce.verifier()).statusCode(200)
                .body("scope", equalTo("read_items"));

        // Arriving from one of this server's own pages (as right after the sign-in form): the page, not a redirect.
        browser.request().header("Sec-Fetch-Site", "same-origin")
                .queryParams(query(client, "read_items", "again", Verifier.create())).get("/oauth/authorize")
                .then().statusCode(200).header("Location", nullValue());
        browser.request().header("Sec-Fetch-Site", "cross-site")
                .queryParams(query(client, "read_items", "again", Verifier.create())).get("/oauth/authorize")
                .then().statusCode(302);

        // A scope not consented to yet: the page again. The application is listed as authorized meanwhile.
        consentPage(browser, client, "public write_items", null, Verifier.create());
        String authorized = browser.request().get("/account/authorized_applications").then().statusCode(200)
                .extract().asString();
        assertTrue(authorized.contains(client.clientId()), authorized);
    }

    // --- Refused without a redirect

    @Test
    void authorizeWhenRedirectUriNotRegisteredThenErrorPageAndNoRedirect() {
        Client client = CodeFlow.newClient(Fixtures.newUser(), "public", true);
        Browser browser = Pages.signIn(Fixtures.newUser());
        Map<String, String> query = query(client, null, "s", Verifier.create());
        query.put("redirect_uri", "https://evil.example/steal");
        for (var request : List.of(given().redirects().follow(false), browser.request())) {
            String page = request.queryParams(query).get("/oauth/authorize")
                    .then().statusCode(400)
                    .header("Location", nullValue())
                    .header("Cache-Control", "no-store")
                    .header("Content-Security-Policy", containsString("frame-ancestors 'none'"))
                    .contentType(startsWith("text/html"))
                    .extract().asString();
            assertTrue(page.contains("The redirect URI is not registered for this application."), page);
            assertFalse(page.contains("evil.example"), page);
        }
    }

    @Test
    void authorizeWhenClientUnknownOrMissingThenErrorPageAndNoRedirect() {
        Client client = CodeFlow.newClient(Fixtures.newUser(), "public", true);
        Map<String, String> unknown = query(client, null, "s", Verifier.create());
        unknown.put("client_id", "no-such-client");
        given().redirects().follow(false).queryParams(unknown).get("/oauth/authorize")
                .then().statusCode(400).header("Location", nullValue())
                .body(containsString("The application is unknown."));
        Map<String, String> missing = query(client, null, "s", Verifier.create());
        missing.remove("client_id");
        given().redirects().follow(false).queryParams(missing).get("/oauth/authorize")
                .then().statusCode(400).header("Location", nullValue())
                .body(containsString("client_id"));
    }

    @Test
    void authorizeWhenPostedRedirectUriTamperedThenErrorPageAndNothingIssued() {
        Account user = Fixtures.newUser();
        Client client = CodeFlow.newClient(Fixtures.newUser(), "public", true);
        Browser browser = Pages.signIn(user);
        Map<String, String> fields = hiddenFields(consentPage(browser, client, null, "s", Verifier.create()));
        fields.put("redirect_uri", "https://evil.example/cb");
        fields.put("decision", "authorize");
        browser.request().formParams(fields).post("/oauth/authorize")
                .then().statusCode(400).header("Location", nullValue());
        assertEquals(0, codesOf(client));
        assertEquals(0, consentsOf(user, client));
    }

    // --- Refused with a redirect to the client

    @Test
    void authorizeWhenPublicClientSendsNoPkceThenRedirectedWithInvalidRequestAndState() {
        Client client = CodeFlow.newClient(Fixtures.newUser(), "public", false);
        Map<String, String> query = query(client, null, "no-pkce", Verifier.create());
        query.remove("code_challenge");
        query.remove("code_challenge_method");
        for (var request : List.of(given().redirects().follow(false),
                Pages.signIn(Fixtures.newUser()).request())) {
            URI redirect = URI.create(request.queryParams(query).get("/oauth/authorize")
                    .then().statusCode(302).extract().header("Location"));
            assertTrue(redirect.toString().startsWith(client.redirectUri() + "?error=invalid_request"),
                    redirect.toString());
            assertEquals("no-pkce", CodeFlow.parameters(redirect).get("state"));
        }
        assertEquals(0, codesOf(client));
    }

    @Test
    void authorizeWhenResponseTypeUnsupportedThenRedirectedWithUnsupportedResponseType() {
        Client client = CodeFlow.newClient(Fixtures.newUser(), "public", true);
        Map<String, String> query = query(client, null, "t", Verifier.create());
        query.put("response_type", "token");
        given().redirects().follow(false).queryParams(query).get("/oauth/authorize")
                .then().statusCode(302)
                .header("Location", startsWith(client.redirectUri() + "?error=unsupported_response_type"));
    }

    // --- The form's own guards

    @Test
    void decideWhenCsrfTokenMissingOrForeignThen403AndNothingIssued() {
        Account user = Fixtures.newUser();
        Client client = CodeFlow.newClient(Fixtures.newUser(), "public", true);
        Browser browser = Pages.signIn(user);
        Map<String, String> fields = hiddenFields(consentPage(browser, client, null, "s", Verifier.create()));
        fields.put("decision", "authorize");

        Map<String, String> withoutToken = new java.util.HashMap<>(fields);
        withoutToken.remove("_csrf");
        browser.request().formParams(withoutToken).post("/oauth/authorize")
                .then().statusCode(403).header("Location", nullValue()).body(containsString("Form expired"));
        Map<String, String> foreignToken = new java.util.HashMap<>(fields);
        foreignToken.put("_csrf", Pages.signIn(Fixtures.newUser()).csrf());
        browser.request().formParams(foreignToken).post("/oauth/authorize")
                .then().statusCode(403).header("Location", nullValue());
        assertEquals(0, codesOf(client));
        assertEquals(0, consentsOf(user, client));
    }

    @Test
    void decideWhenNotSignedInThenSignInAndNothingIssued() {
        Client client = CodeFlow.newClient(Fixtures.newUser(), "public", true);
        Browser browser = Pages.signIn(Fixtures.newUser());
        Map<String, String> fields = hiddenFields(consentPage(browser, client, null, "s", Verifier.create()));
        fields.put("decision", "authorize");
        given().redirects().follow(false).formParams(fields).post("/oauth/authorize")
                .then().statusCode(303).header("Location", containsString("/users/sign_in"));
        assertEquals(0, codesOf(client));
    }

    @Test
    void decideWhenDecisionMissingOrUnknownThen400AndNothingIssued() {
        Client client = CodeFlow.newClient(Fixtures.newUser(), "public", true);
        Browser browser = Pages.signIn(Fixtures.newUser());
        Map<String, String> fields = hiddenFields(consentPage(browser, client, null, "s", Verifier.create()));
        browser.request().formParams(fields).post("/oauth/authorize")
                .then().statusCode(400).header("Location", nullValue()).body(containsString("Choose Authorize"));
        fields.put("decision", "yes");
        browser.request().formParams(fields).post("/oauth/authorize")
                .then().statusCode(400).header("Location", nullValue());
        assertEquals(0, codesOf(client));
    }

    @Test
    void authorizeWhenQueryHasABrokenEscapeThen400WithoutRedirect() throws Exception {
        // Sent over a bare socket (HTTP clients refuse to build such a URL); the HTTP server refuses it outright.
        Client client = CodeFlow.newClient(Fixtures.newUser(), "public", true);
        String target = "/oauth/authorize?response_type=code&client_id=" + client.clientId() + "&state=%zz";
        try (Socket socket = new Socket(authorizeEndpoint.getHost(), authorizeEndpoint.getPort())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("GET " + target + " HTTP/1.1\r\nHost: localhost\r\nConnection: close"
                    + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            String head = answer.substring(0, answer.indexOf("\r\n\r\n")).toLowerCase();
            assertTrue(head.startsWith("http/1.1 400"), answer);
            assertFalse(head.contains("\r\nlocation:"), answer);
            assertFalse(answer.contains("Exception") || answer.contains("\tat "), answer);
        }
    }

    @Test
    void formTargetsWhenRedirectUriIsHttpsOrLocalThenItsOrigin() {
        assertEquals("https://client.example", AuthorizePage.formTargets("https://client.example/cb?x=1"));
        assertEquals("http://localhost:9999", AuthorizePage.formTargets("http://localhost:9999/callback"));
        assertEquals("http:", AuthorizePage.formTargets("http://[::1]:8080/cb"));
        assertNull(AuthorizePage.formTargets("com.example.app:/cb"));
    }

    // --- helpers

    private static Map<String, String> query(Client client, String scope, String state, Verifier pkce) {
        Map<String, String> query = new java.util.LinkedHashMap<>();
        query.put("response_type", "code");
        query.put("client_id", client.clientId());
        query.put("redirect_uri", client.redirectUri());
        if (scope != null) {
            query.put("scope", scope);
        }
        if (state != null) {
            query.put("state", state);
        }
        query.put("code_challenge", pkce.challenge());
        query.put("code_challenge_method", "S256");
        return query;
    }

    /** The consent page for this request; the test fails if the browser is redirected instead. */
    private static String consentPage(Browser browser, Client client, String scope, String state, Verifier pkce) {
        return browser.request().queryParams(query(client, scope, state, pkce)).get("/oauth/authorize")
                .then().statusCode(200).extract().asString();
    }

    /** Presses a button of the consent page: its hidden fields and the decision, with the browser's cookie. */
    private static Response decide(Browser browser, String page, String decision) {
        return browser.request().formParams(hiddenFields(page)).formParam("decision", decision)
                .post("/oauth/authorize");
    }

    private static Map<String, String> hiddenFields(String page) {
        Map<String, String> fields = new java.util.LinkedHashMap<>();
        int form = page.indexOf("<form method=\"post\" action=\"/oauth/authorize\">");
        assertTrue(form >= 0, "no consent form in the page");
        Matcher matcher = HIDDEN.matcher(page.substring(form, page.indexOf("</form>", form)));
        while (matcher.find()) {
            fields.put(matcher.group(1), unescape(matcher.group(2)));
        }
        return fields;
    }

    private static String unescape(String html) {
        return html.replace("&quot;", "\"").replace("&#39;", "'").replace("&lt;", "<").replace("&gt;", ">")
                .replace("&amp;", "&");
    }

    private long codesOf(Client client) {
        return count("select count(*) from authorization_codes where application_id = $1", client.app().id());
    }

    private long consentsOf(Account user, Client client) {
        return count("select count(*) from oauth_consents where user_id = $1 and application_id = $2", user.id(),
                client.app().id());
    }

    private long count(String sql, Object... parameters) {
        return pool.preparedQuery(sql).execute(Tuple.from(parameters))
                .map(rows -> rows.iterator().next().getLong(0))
                .await().atMost(Duration.ofSeconds(10));
    }
}
