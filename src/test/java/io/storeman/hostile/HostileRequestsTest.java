package io.storeman.hostile;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.config.EncoderConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.storeman.support.Fixtures;
import io.storeman.support.Fixtures.Account;
import io.storeman.support.Fixtures.App;
import io.storeman.support.Fixtures.Tokens;
import io.storeman.support.Pages;
import io.storeman.support.Pages.Browser;
import io.storeman.support.Pages.Visitor;
import io.storeman.support.ResourceFixtures;
import io.storeman.support.StateSnapshot;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.net.URLEncoder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Hostile requests, grouped by endpoint. Each must get its exact status and error, never a 5xx or a stack trace, and
 * must leave every table as it was. After the run the server is healthy and a valid user still signs in.
 */
@QuarkusTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HostileRequestsTest {

    private static final String PUBLIC_REDIRECT = "http://localhost:9999/callback";
    private static final RestAssuredConfig RAW = RestAssuredConfig.config()
            .encoderConfig(EncoderConfig.encoderConfig().appendDefaultContentCharsetToContentTypeIfUndefined(false));

    @Inject
    Pool pool;

    private Account user;
    private App app;
    private App publicApp;
    private Tokens tokens;
    private Browser browser;
    private Browser otherBrowser;
    private String challenge;
    private String apiToken;
    private long space;
    private long item;
    private long othersSpace;
    private long othersItem;

    /** One hostile request: what to send, and the status and error (OAuth code or problem status) expected. */
    record Case(String group, String name, Function<HostileRequestsTest, Response> send, int status, String error) {
        @Override
        public String toString() {
            return group + ": " + name;
        }
    }

    /** Made on first use: RestAssured knows the test port only once the first test runs. */
    private void ensureFixtures() {
        if (user != null) {
            return;
        }
        user = Fixtures.newUser();
        app = Fixtures.newApp(user, "public read_items");
        publicApp = Fixtures.newPublicApp(user, "public");
        tokens = Fixtures.passwordTokens(app, user, null);
        browser = Pages.signIn(user);
        otherBrowser = Pages.signIn(Fixtures.newUser());
        challenge = io.storeman.oauth.authorize.Pkce.challengeOf("v".repeat(43));
        ResourceFixtures.Owner owner = ResourceFixtures.newOwner();
        apiToken = owner.allScopes();
        space = ResourceFixtures.newSpace(apiToken, "Hostile target");
        item = ResourceFixtures.newItem(apiToken, space, "Target item", 3);
        String othersToken = ResourceFixtures.newOwner().allScopes();
        othersSpace = ResourceFixtures.newSpace(othersToken, "Someone else's");
        othersItem = ResourceFixtures.newItem(othersToken, othersSpace, "Not yours", 1);
    }

    /** A request to the resource API with a token holding every scope. */
    private RequestSpecification api() {
        return given().auth().oauth2(apiToken);
    }

    private RequestSpecification apiJson(String json) {
        return given().config(RAW).auth().oauth2(apiToken).contentType("application/json").body(json);
    }

    private RequestSpecification raw() {
        return given().config(RAW);
    }

    private RequestSpecification client() {
        return given().formParam("client_id", app.clientId()).formParam("client_secret", app.clientSecret());
    }

    /** A valid authorization request of the public application (redirect URI http://localhost:9999/callback). */
    private Map<String, String> authorization() {
        Map<String, String> query = new LinkedHashMap<>();
        query.put("response_type", "code");
        query.put("client_id", publicApp.clientId());
        query.put("redirect_uri", PUBLIC_REDIRECT);
        query.put("state", "hostile-state");
        query.put("code_challenge", challenge);
        query.put("code_challenge_method", "S256");
        return query;
    }

    /** The same request with one parameter replaced (a null value removes it). */
    private Map<String, String> authorization(String name, String value) {
        Map<String, String> query = authorization();
        if (value == null) {
            query.remove(name);
        } else {
            query.put(name, value);
        }
        return query;
    }

    private Response authorize(Map<String, String> query) {
        return browser.request().queryParams(query).get("/oauth/authorize");
    }

    /** A raw query string after the valid request's, sent as it is (repeated names, broken escapes). */
    private Response authorizeRaw(String extra) {
        StringBuilder query = new StringBuilder();
        authorization().forEach((name, value) -> query.append(query.isEmpty() ? "" : "&").append(name).append('=')
                .append(URLEncoder.encode(value, StandardCharsets.UTF_8)));
        return browser.request().urlEncodingEnabled(false).get("/oauth/authorize?" + query + extra);
    }

    /** The consent form posted back with the browser's session. */
    private RequestSpecification decision(Browser who, boolean withCsrf) {
        RequestSpecification request = who.request().formParams(authorization()).formParam("decision", "authorize");
        return withCsrf ? request.formParam("_csrf", who.csrf()) : request;
    }

    private Response signIn(String email, String password) {
        Visitor visitor = Pages.visit("/users/sign_in");
        return visitor.request().config(RAW).contentType("application/x-www-form-urlencoded")
                .body("_csrf=" + visitor.csrf() + "&email=" + email + "&password=" + password)
                .post("/users/sign_in");
    }

    /** Twenty headers of 1 KiB each: a header block over the 16 KiB limit (L6). */
    private static RequestSpecification padded(RequestSpecification request) {
        for (int i = 0; i < 20; i++) {
            request.header("X-Pad-" + i, "h".repeat(1024));
        }
        return request;
    }

    private static String basic(String pair) {
        return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
    }

    private static Case token(String name, Function<HostileRequestsTest, Response> send, int status, String error) {
        return new Case("token", name, send, status, error);
    }

    private static Case revoke(String name, Function<HostileRequestsTest, Response> send, int status, String error) {
        return new Case("revoke", name, send, status, error);
    }

    private static Case introspect(String name, Function<HostileRequestsTest, Response> send, int status,
            String error) {
        return new Case("introspect", name, send, status, error);
    }

    private static Case api(String name, Function<HostileRequestsTest, Response> send, int status) {
        return new Case("api", name, send, status, null);
    }

    private static Case account(String name, Function<HostileRequestsTest, Response> send, int status) {
        return new Case("account", name, send, status, null);
    }

    /**
     * An authorization request: {@code error} is the OAuth error expected on the redirect to the client (a 302 or
     * 303), or null for an error page here (which must not redirect) or a redirect to sign in.
     */
    private static Case authorize(String name, Function<HostileRequestsTest, Response> send, int status,
            String error) {
        return new Case("authorize", name, send, status, error);
    }

    /** A web page: an HTML error page (never a redirect) or, for a 303, the sign-in page. */
    private static Case page(String name, Function<HostileRequestsTest, Response> send, int status) {
        return new Case("pages", name, send, status, null);
    }

    static Stream<Case> cases() {
        List<Case> cases = new ArrayList<>();
        String form = "application/x-www-form-urlencoded";
        // --- POST /oauth/token
        cases.add(token("no body", t -> t.raw().post("/oauth/token"), 400, "invalid_request"));
        cases.add(token("text/plain body", t -> t.raw().contentType("text/plain").body("grant_type=password")
                .post("/oauth/token"), 400, "invalid_request"));
        cases.add(token("multipart body", t -> t.raw().multiPart("grant_type", "password").post("/oauth/token"),
                400, "invalid_request"));
        cases.add(token("JSON string", t -> t.raw().contentType("application/json").body("\"grant_type\"")
                .post("/oauth/token"), 400, "invalid_request"));
        cases.add(token("JSON null", t -> t.raw().contentType("application/json").body("null")
                .post("/oauth/token"), 400, "invalid_request"));
        cases.add(token("JSON with trailing garbage", t -> t.raw().contentType("application/json")
                .body("{\"grant_type\":\"password\"} {}").post("/oauth/token"), 400, "invalid_request"));
        cases.add(token("JSON array value", t -> t.raw().contentType("application/json")
                .body("{\"grant_type\":[\"password\"]}").post("/oauth/token"), 400, "invalid_request"));
        cases.add(token("JSON duplicate key", t -> t.raw().contentType("application/json")
                .body("{\"grant_type\":\"password\",\"grant_type\":\"client_credentials\"}")
                .post("/oauth/token"), 400, "invalid_request"));
        cases.add(token("deeply nested JSON", t -> t.raw().contentType("application/json")
                .body("{\"a\":" + "[".repeat(5000) + "]".repeat(5000) + "}").post("/oauth/token"),
                400, "invalid_request"));
        cases.add(token("grant_type sent twice", t -> t.raw().contentType(form)
                .body("grant_type=password&grant_type=password").post("/oauth/token"), 400, "invalid_request"));
        cases.add(token("client_secret sent twice", t -> t.raw().contentType(form)
                .body("grant_type=client_credentials&client_id=" + t.app.clientId() + "&client_secret=a&client_secret=b")
                .post("/oauth/token"), 400, "invalid_request"));
        cases.add(token("NUL in password", t -> t.raw().contentType(form).body("grant_type=password&username="
                + t.user.email() + "&password=x%00y&client_id=" + t.app.clientId() + "&client_secret="
                + t.app.clientSecret()).post("/oauth/token"), 400, "invalid_request"));
        cases.add(token("newline in scope", t -> t.client().formParam("grant_type", "client_credentials")
                .formParam("scope", "public\nread_items").post("/oauth/token"), 400, "invalid_request"));
        cases.add(token("overlong parameter", t -> t.client().formParam("grant_type", "password")
                .formParam("username", "a".repeat(5000)).formParam("password", "x").post("/oauth/token"),
                400, "invalid_request"));
        cases.add(token("lone percent sign", t -> t.raw().contentType(form).body("grant_type=%")
                .post("/oauth/token"), 400, "invalid_request"));
        cases.add(token("overlong UTF-8", t -> t.raw().contentType(form).body("grant_type=%C0%AF")
                .post("/oauth/token"), 400, "invalid_request"));
        cases.add(token("grant_type in other case", t -> t.client().formParam("grant_type", "PASSWORD")
                .post("/oauth/token"), 400, "unsupported_grant_type"));
        cases.add(token("SQL in client_id", t -> given().formParam("grant_type", "client_credentials")
                .formParam("client_id", "' or '1'='1").formParam("client_secret", "' or '1'='1")
                .post("/oauth/token"), 401, "invalid_client"));
        cases.add(token("Basic without colon", t -> given().header("Authorization", basic("justanid"))
                .formParam("grant_type", "client_credentials").post("/oauth/token"), 401, "invalid_client"));
        cases.add(token("Basic with empty id", t -> given().header("Authorization", basic(":secret"))
                .formParam("grant_type", "client_credentials").post("/oauth/token"), 401, "invalid_client"));
        cases.add(token("Basic with bad escape", t -> given().header("Authorization", basic("%zz:%zz"))
                .formParam("grant_type", "client_credentials").post("/oauth/token"), 401, "invalid_client"));
        cases.add(token("Bearer instead of client auth", t -> given().header("Authorization",
                "Bearer " + t.tokens.accessToken()).formParam("grant_type", "client_credentials")
                .post("/oauth/token"), 401, "invalid_client"));
        cases.add(token("Basic id differs from body id", t -> given()
                .header("Authorization", basic(t.app.clientId() + ":" + t.app.clientSecret()))
                .formParam("client_id", t.publicApp.clientId()).formParam("grant_type", "client_credentials")
                .post("/oauth/token"), 400, "invalid_request"));
        cases.add(token("public client with a secret", t -> given().formParam("grant_type", "client_credentials")
                .formParam("client_id", t.publicApp.clientId()).formParam("client_secret", "made-up")
                .post("/oauth/token"), 401, "invalid_client"));
        cases.add(token("access token as refresh token", t -> t.client().formParam("grant_type", "refresh_token")
                .formParam("refresh_token", t.tokens.accessToken()).post("/oauth/token"), 400, "invalid_grant"));
        cases.add(token("refresh token hash as refresh token", t -> t.client()
                .formParam("grant_type", "refresh_token")
                .formParam("refresh_token", io.storeman.common.Secrets.sha256(t.tokens.refreshToken()))
                .post("/oauth/token"), 400, "invalid_grant"));
        cases.add(token("refresh widening scope", t -> t.client().formParam("grant_type", "refresh_token")
                .formParam("refresh_token", t.tokens.refreshToken()).formParam("scope", "public read_items admin")
                .post("/oauth/token"), 400, "invalid_scope"));
        cases.add(token("empty scope tokens only", t -> t.client().formParam("grant_type", "client_credentials")
                .formParam("scope", "write_spaces").post("/oauth/token"), 400, "invalid_scope"));
        cases.add(token("authorization code that was never issued", t -> t.client()
                .formParam("grant_type", "authorization_code").formParam("code", "forged")
                .formParam("redirect_uri", "http://localhost:9999/callback").formParam("code_verifier", "x".repeat(43))
                .post("/oauth/token"), 400, "invalid_grant"));
        cases.add(token("PUT instead of POST", t -> t.client().put("/oauth/token"), 405, "invalid_request"));
        cases.add(token("username over 254 characters", t -> t.client().formParam("grant_type", "password")
                .formParam("username", "a".repeat(300) + "@example.com").formParam("password", "x")
                .post("/oauth/token"), 400, "invalid_request"));
        cases.add(token("username crafted to backtrack", t -> t.client().formParam("grant_type", "password")
                .formParam("username", "a@" + ".".repeat(240) + "@").formParam("password", "x")
                .post("/oauth/token"), 400, "invalid_request"));
        cases.add(token("password over 1024 characters", t -> t.client().formParam("grant_type", "password")
                .formParam("username", t.user.email()).formParam("password", "p".repeat(1025))
                .post("/oauth/token"), 400, "invalid_request"));
        cases.add(token("Basic client id with a NUL", t -> given().header("Authorization", basic("a%00b:secret"))
                .formParam("grant_type", "client_credentials").post("/oauth/token"), 401, "invalid_client"));
        cases.add(token("lone surrogate in a JSON value", t -> t.raw().contentType("application/json")
                .body("{\"grant_type\":\"client_credentials\",\"client_id\":\"\\udc00\"}").post("/oauth/token"),
                400, "invalid_request"));
        cases.add(token("URL over 8 KiB", t -> t.client().formParam("grant_type", "client_credentials")
                .queryParam("pad", "q".repeat(10 * 1024)).post("/oauth/token"), 414, "invalid_request"));
        cases.add(token("headers over 16 KiB", t -> padded(t.client()).formParam("grant_type", "client_credentials")
                .post("/oauth/token"), 431, "invalid_request"));
        // --- POST /oauth/revoke
        cases.add(revoke("no client authentication", t -> given().formParam("token", t.tokens.refreshToken())
                .post("/oauth/revoke"), 401, "invalid_client"));
        cases.add(revoke("wrong secret", t -> given().formParam("token", t.tokens.refreshToken())
                .formParam("client_id", t.app.clientId()).formParam("client_secret", "nope")
                .post("/oauth/revoke"), 401, "invalid_client"));
        cases.add(revoke("token sent twice", t -> t.raw().contentType(form).body("token=a&token=b&client_id="
                + t.app.clientId() + "&client_secret=" + t.app.clientSecret()).post("/oauth/revoke"),
                400, "invalid_request"));
        cases.add(revoke("XML body", t -> t.raw().contentType("application/xml").body("<token/>")
                .post("/oauth/revoke"), 400, "invalid_request"));
        cases.add(revoke("malformed JSON", t -> t.raw().contentType("application/json").body("{\"token\":")
                .post("/oauth/revoke"), 400, "invalid_request"));
        cases.add(revoke("control character in token", t -> t.client().formParam("token", "abc\u0007def")
                .post("/oauth/revoke"), 400, "invalid_request"));
        cases.add(revoke("GET", t -> given().get("/oauth/revoke"), 405, "invalid_request"));
        cases.add(revoke("credentials in the query only", t -> given().queryParam("client_id", t.app.clientId())
                .queryParam("client_secret", t.app.clientSecret()).formParam("token", t.tokens.refreshToken())
                .post("/oauth/revoke"), 401, "invalid_client"));
        cases.add(revoke("Basic and body secret", t -> given()
                .header("Authorization", basic(t.app.clientId() + ":" + t.app.clientSecret()))
                .formParam("client_secret", t.app.clientSecret()).formParam("token", t.tokens.refreshToken())
                .post("/oauth/revoke"), 400, "invalid_request"));
        // --- POST /oauth/introspect
        cases.add(introspect("no client authentication", t -> given().formParam("token", t.tokens.accessToken())
                .post("/oauth/introspect"), 401, "invalid_client"));
        cases.add(introspect("public client", t -> given().formParam("client_id", t.publicApp.clientId())
                .formParam("token", t.tokens.accessToken()).post("/oauth/introspect"), 401, "invalid_client"));
        cases.add(introspect("text/plain body", t -> t.raw().contentType("text/plain").body("token=x")
                .post("/oauth/introspect"), 400, "invalid_request"));
        cases.add(introspect("token sent twice", t -> t.raw().contentType(form).body("token=a&token=b&client_id="
                + t.app.clientId() + "&client_secret=" + t.app.clientSecret()).post("/oauth/introspect"),
                400, "invalid_request"));
        cases.add(introspect("wrong secret in Basic", t -> given()
                .header("Authorization", basic(t.app.clientId() + ":wrong")).formParam("token", "x")
                .post("/oauth/introspect"), 401, "invalid_client"));
        // --- Account API (problem+json)
        cases.add(account("register with JSON array", t -> given().contentType("application/json").body("[]")
                .post("/api/v1/users"), 400));
        cases.add(account("register with number e-mail", t -> given().contentType("application/json")
                .body("{\"email\": 5, \"password\": \"long enough password\"}").post("/api/v1/users"), 400));
        cases.add(account("register with e-mail holding a space", t -> given().contentType("application/json")
                .body(Map.of("email", "a b@example.com", "password", "long enough password"))
                .post("/api/v1/users"), 400));
        cases.add(account("register with huge e-mail", t -> given().contentType("application/json")
                .body(Map.of("email", "a".repeat(300) + "@example.com", "password", "long enough password"))
                .post("/api/v1/users"), 400));
        cases.add(account("register with form body", t -> given().formParam("email", "x@example.com")
                .formParam("password", "long enough password").post("/api/v1/users"), 415));
        cases.add(account("applications without credentials", t -> given().get("/api/v1/oauth/applications"), 401));
        cases.add(account("applications with wrong password", t -> given().auth().preemptive()
                .basic(t.user.email(), "wrong password").get("/api/v1/oauth/applications"), 401));
        cases.add(account("applications with a Bearer token", t -> given().auth().oauth2(t.tokens.accessToken())
                .get("/api/v1/oauth/applications"), 401));
        cases.add(account("create application with unknown scope", t -> given().auth().preemptive()
                .basic(t.user.email(), t.user.password()).contentType("application/json")
                .body(Map.of("name", "x", "scopes", "public admin")).post("/api/v1/oauth/applications"), 400));
        cases.add(account("create application with javascript: redirect", t -> given().auth().preemptive()
                .basic(t.user.email(), t.user.password()).contentType("application/json")
                .body(Map.of("name", "x", "scopes", "public", "redirect_uri", "javascript:alert(1)"))
                .post("/api/v1/oauth/applications"), 400));
        cases.add(account("create application with plain-http remote redirect", t -> given().auth().preemptive()
                .basic(t.user.email(), t.user.password()).contentType("application/json")
                .body(Map.of("name", "x", "scopes", "public", "redirect_uri", "http://evil.example/cb"))
                .post("/api/v1/oauth/applications"), 400));
        cases.add(account("create application with empty name", t -> given().auth().preemptive()
                .basic(t.user.email(), t.user.password()).contentType("application/json")
                .body(Map.of("name", "", "scopes", "public")).post("/api/v1/oauth/applications"), 400));
        cases.add(account("create application with 101-character name", t -> given().auth().preemptive()
                .basic(t.user.email(), t.user.password()).contentType("application/json")
                .body(Map.of("name", "n".repeat(101), "scopes", "public")).post("/api/v1/oauth/applications"), 400));
        cases.add(account("register with an e-mail crafted to backtrack", t -> given().contentType("application/json")
                .body(Map.of("email", "a@" + ".".repeat(5000) + "@", "password", "long enough password"))
                .post("/api/v1/users"), 400));
        cases.add(account("register with a NUL in the e-mail", t -> t.raw().contentType("application/json")
                .body("{\"email\":\"a\\u0000b@example.com\",\"password\":\"long enough password\"}")
                .post("/api/v1/users"), 400));
        cases.add(account("register with a lone surrogate in the e-mail", t -> t.raw().contentType("application/json")
                .body("{\"email\":\"a\\ud800b@example.com\",\"password\":\"long enough password\"}")
                .post("/api/v1/users"), 400));
        cases.add(account("applications with a NUL in the Basic e-mail", t -> given().header("Authorization",
                basic(t.user.email().replace("@", "\u0000@") + ":" + t.user.password()))
                .get("/api/v1/oauth/applications"), 401));
        cases.add(account("applications with a 300-character Basic e-mail", t -> given().header("Authorization",
                basic("a".repeat(300) + "@example.com:" + t.user.password())).get("/api/v1/oauth/applications"),
                401));
        cases.add(account("revoke the authorization of a client id with a NUL", t -> given().auth().preemptive()
                .basic(t.user.email(), t.user.password()).urlEncodingEnabled(false)
                .delete("/api/v1/authorized_applications/a%00b"), 404));
        cases.add(account("create application with a lone surrogate in its name", t -> given().auth().preemptive()
                .basic(t.user.email(), t.user.password()).config(RAW).contentType("application/json")
                .body("{\"name\":\"a\\ud800\",\"scopes\":\"public\"}").post("/api/v1/oauth/applications"), 400));
        cases.add(account("account API URL over 8 KiB", t -> given().auth().preemptive()
                .basic(t.user.email(), t.user.password()).queryParam("pad", "q".repeat(10 * 1024))
                .get("/api/v1/oauth/applications"), 414));
        // --- GET/POST /oauth/authorize (the browser of a signed-in user)
        cases.add(authorize("unknown client", t -> t.authorize(t.authorization("client_id", "no-such-client")),
                400, null));
        cases.add(authorize("no client_id", t -> t.authorize(t.authorization("client_id", null)), 400, null));
        cases.add(authorize("SQL in client_id", t -> t.authorize(t.authorization("client_id", "' or '1'='1")),
                400, null));
        cases.add(authorize("unregistered redirect URI", t -> t.authorize(t.authorization("redirect_uri",
                "https://evil.example/callback")), 400, null));
        cases.add(authorize("javascript: redirect URI", t -> t.authorize(t.authorization("redirect_uri",
                "javascript:alert(document.cookie)")), 400, null));
        cases.add(authorize("redirect URI with a trailing slash", t -> t.authorize(t.authorization("redirect_uri",
                PUBLIC_REDIRECT + "/")), 400, null));
        cases.add(authorize("redirect URI in other case", t -> t.authorize(t.authorization("redirect_uri",
                PUBLIC_REDIRECT.toUpperCase())), 400, null));
        cases.add(authorize("redirect URI with a fragment", t -> t.authorize(t.authorization("redirect_uri",
                PUBLIC_REDIRECT + "#x")), 400, null));
        cases.add(authorize("client_id sent twice", t -> t.authorizeRaw("&client_id=" + t.publicApp.clientId()),
                400, null));
        cases.add(authorize("redirect_uri sent twice", t -> t.authorizeRaw("&redirect_uri=https%3A%2F%2Fevil.example"),
                400, null));
        cases.add(authorize("missing response_type", t -> t.authorize(t.authorization("response_type", null)),
                302, "invalid_request"));
        cases.add(authorize("unsupported response_type", t -> t.authorize(t.authorization("response_type",
                "token")), 302, "unsupported_response_type"));
        cases.add(authorize("response_type in other case", t -> t.authorize(t.authorization("response_type",
                "CODE")), 302, "unsupported_response_type"));
        cases.add(authorize("no PKCE from a public client", t -> {
            Map<String, String> query = t.authorization("code_challenge", null);
            query.remove("code_challenge_method");
            return t.authorize(query);
        }, 302, "invalid_request"));
        cases.add(authorize("plain PKCE", t -> t.authorize(t.authorization("code_challenge_method", "plain")),
                302, "invalid_request"));
        cases.add(authorize("code_challenge too short", t -> t.authorize(t.authorization("code_challenge",
                "abc")), 302, "invalid_request"));
        cases.add(authorize("state sent twice", t -> t.authorizeRaw("&state=other"), 302, "invalid_request"));
        cases.add(authorize("oversized state", t -> t.authorize(t.authorization("state", "s".repeat(3000))),
                302, "invalid_request"));
        cases.add(authorize("newline in state", t -> t.authorize(t.authorization("state", "a\r\nSet-Cookie: x=y")),
                302, "invalid_request"));
        cases.add(authorize("scope beyond the registration", t -> t.authorize(t.authorization("scope",
                "public write_spaces")), 302, "invalid_scope"));
        cases.add(authorize("unknown scope", t -> t.authorize(t.authorization("scope", "admin")), 302,
                "invalid_scope"));
        cases.add(authorize("POST without a session", t -> given().redirects().follow(false)
                .formParams(t.authorization()).formParam("decision", "authorize").post("/oauth/authorize"),
                303, null));
        cases.add(authorize("POST without CSRF token", t -> t.decision(t.browser, false).post("/oauth/authorize"),
                403, null));
        cases.add(authorize("POST with another session's CSRF token", t -> t.decision(t.browser, false)
                .formParam("_csrf", t.otherBrowser.csrf()).post("/oauth/authorize"), 403, null));
        cases.add(authorize("POST with CSRF token sent twice", t -> t.decision(t.browser, true)
                .formParam("_csrf", t.browser.csrf()).post("/oauth/authorize"), 403, null));
        cases.add(authorize("POST with an unregistered redirect URI", t -> t.decision(t.browser, true)
                .formParam("redirect_uri", "https://evil.example/callback").post("/oauth/authorize"), 400, null));
        cases.add(authorize("POST with an unknown decision", t -> t.browser.request().formParams(t.authorization())
                .formParam("_csrf", t.browser.csrf()).formParam("decision", "maybe").post("/oauth/authorize"),
                400, null));
        cases.add(authorize("URL over 8 KiB", t -> t.authorize(t.authorization("state", "s".repeat(10 * 1024))),
                414, null));
        // --- Web pages: form posts without their CSRF token change nothing
        cases.add(page("sign-in without CSRF token", t -> given().redirects().follow(false)
                .formParam("email", t.user.email()).formParam("password", t.user.password())
                .post("/users/sign_in"), 403));
        cases.add(page("sign-in with another visitor's CSRF token", t -> Pages.visit("/users/sign_in").request()
                .formParam("_csrf", Pages.visit("/users/sign_in").csrf()).formParam("email", t.user.email())
                .formParam("password", t.user.password()).post("/users/sign_in"), 403));
        cases.add(page("sign-in with a NUL byte in the e-mail", t -> t.signIn(
                URLEncoder.encode(t.user.email(), StandardCharsets.UTF_8) + "%00", "x"), 400));
        cases.add(page("sign-in with a NUL byte in the password", t -> t.signIn(
                URLEncoder.encode(t.user.email(), StandardCharsets.UTF_8), "x%00y"), 400));
        cases.add(page("sign-up without CSRF token", t -> given().redirects().follow(false)
                .formParam("email", "hostile-" + System.nanoTime() + "@example.com")
                .formParam("password", "long enough password")
                .formParam("password_confirmation", "long enough password").post("/users/sign_up"), 403));
        cases.add(page("application create without CSRF token", t -> t.browser.request().formParam("name", "x")
                .formParam("scopes", "public").post("/account/oauth/applications"), 403));
        cases.add(page("application create with another session's CSRF token", t -> t.browser.request()
                .formParam("_csrf", t.otherBrowser.csrf()).formParam("name", "x").formParam("scopes", "public")
                .post("/account/oauth/applications"), 403));
        cases.add(page("application delete without CSRF token", t -> t.browser.request()
                .post("/account/oauth/applications/" + t.app.id() + "/delete"), 403));
        cases.add(page("application update without CSRF token", t -> t.browser.request()
                .formParam("name", "renamed").formParam("scopes", "public")
                .post("/account/oauth/applications/" + t.app.id()), 403));
        cases.add(page("secret regeneration without CSRF token", t -> t.browser.request()
                .post("/account/oauth/applications/" + t.app.id() + "/secret"), 403));
        cases.add(page("password change without CSRF token", t -> t.browser.request()
                .formParam("current_password", t.user.password()).formParam("new_password", "another long password")
                .formParam("new_password_confirmation", "another long password").post("/account/password"), 403));
        cases.add(page("authorized application revoke without CSRF token", t -> t.browser.request()
                .post("/account/authorized_applications/" + t.app.clientId() + "/revoke"), 403));
        cases.add(page("sign-out without CSRF token", t -> t.browser.request().post("/users/sign_out"), 403));
        cases.add(page("another user's application", t -> t.otherBrowser.request()
                .formParam("_csrf", t.otherBrowser.csrf()).formParam("_once", "o".repeat(43))
                .post("/account/oauth/applications/" + t.app.id() + "/delete"), 404));
        cases.add(page("sign-in with a 300-character e-mail", t -> t.signIn("a".repeat(300) + "%40example.com", "x"),
                400));
        cases.add(page("sign-in with a broken escape in the form", t -> t.signIn("a%zz", "x"), 400));
        cases.add(page("sign-in with bytes that are not UTF-8", t -> t.signIn("a%C3%28%40example.com", "x"), 400));
        cases.add(page("sign-in URL over 8 KiB", t -> given().queryParam("next", "n".repeat(10 * 1024))
                .get("/users/sign_in"), 414));
        cases.add(page("sign-in with headers over 16 KiB", t -> padded(given()).get("/users/sign_in"), 431));
        cases.add(page("sign-up with a NUL in the e-mail", t -> {
            Visitor visitor = Pages.visit("/users/sign_up");
            return visitor.request().config(RAW).contentType("application/x-www-form-urlencoded")
                    .body("_csrf=" + visitor.csrf() + "&email=a%00b%40example.com&password=long+enough+password"
                            + "&password_confirmation=long+enough+password")
                    .post("/users/sign_up");
        }, 400));
        // --- Resource API: spaces and items (problem+json)
        cases.add(api("non-numeric space id", t -> t.api().get("/api/v1/spaces/abc"), 404));
        cases.add(api("item id beyond a long", t -> t.api().get("/api/v1/items/99999999999999999999"), 404));
        cases.add(api("negative space id", t -> t.api().get("/api/v1/spaces/-1"), 404));
        cases.add(api("negative limit", t -> t.api().queryParam("limit", "-1").get("/api/v1/spaces"), 400));
        cases.add(api("zero limit", t -> t.api().queryParam("limit", "0").get("/api/v1/spaces"), 400));
        cases.add(api("huge limit", t -> t.api().queryParam("limit", "99999999999999999999")
                .get("/api/v1/spaces"), 400));
        cases.add(api("limit above 200", t -> t.api().queryParam("limit", "201")
                .get("/api/v1/spaces/" + t.space + "/items"), 400));
        cases.add(api("fractional limit", t -> t.api().queryParam("limit", "1.5").get("/api/v1/spaces"), 400));
        cases.add(api("forged cursor", t -> t.api().queryParam("cursor", "forged").get("/api/v1/spaces"), 400));
        cases.add(api("cursor with a negative id", t -> t.api().queryParam("cursor", Base64.getUrlEncoder()
                .encodeToString("after:-5".getBytes(StandardCharsets.US_ASCII))).get("/api/v1/spaces"), 400));
        cases.add(api("cursor with an id beyond a long", t -> t.api().queryParam("cursor", Base64.getUrlEncoder()
                .encodeToString("after:99999999999999999999".getBytes(StandardCharsets.US_ASCII)))
                .get("/api/v1/spaces/" + t.space + "/items"), 400));
        cases.add(api("overlong cursor", t -> t.api().queryParam("cursor", "QQ".repeat(100))
                .get("/api/v1/spaces"), 400));
        cases.add(api("NUL in space name", t -> t.apiJson("{\"name\":\"a\\u0000b\"}").post("/api/v1/spaces"),
                400));
        cases.add(api("201-character space name", t -> t.api().contentType("application/json")
                .body(Map.of("name", "n".repeat(201))).post("/api/v1/spaces"), 400));
        cases.add(api("blank space name", t -> t.apiJson("{\"name\":\"   \"}").post("/api/v1/spaces"), 400));
        cases.add(api("2001-character description", t -> t.api().contentType("application/json")
                .body(Map.of("name", "ok", "description", "d".repeat(2001))).post("/api/v1/spaces"), 400));
        cases.add(api("JSON array body", t -> t.apiJson("[{\"name\":\"x\"}]").post("/api/v1/spaces"), 400));
        cases.add(api("malformed JSON", t -> t.apiJson("{\"name\":").post("/api/v1/spaces"), 400));
        cases.add(api("JSON null body", t -> t.apiJson("null").post("/api/v1/spaces"), 400));
        cases.add(api("wrong content type", t -> t.api().contentType("text/plain").body("name=x")
                .post("/api/v1/spaces"), 415));
        cases.add(api("negative quantity", t -> t.apiJson("{\"name\":\"x\",\"quantity\":-1}")
                .post("/api/v1/spaces/" + t.space + "/items"), 400));
        cases.add(api("quantity as a string", t -> t.apiJson("{\"name\":\"x\",\"quantity\":\"5\"}")
                .post("/api/v1/spaces/" + t.space + "/items"), 400));
        cases.add(api("quantity as a float", t -> t.apiJson("{\"name\":\"x\",\"quantity\":1.5}")
                .post("/api/v1/spaces/" + t.space + "/items"), 400));
        cases.add(api("quantity beyond an int", t -> t.apiJson("{\"name\":\"x\",\"quantity\":2147483648}")
                .post("/api/v1/spaces/" + t.space + "/items"), 400));
        cases.add(api("quantity beyond a long", t -> t.apiJson("{\"name\":\"x\",\"quantity\":1e400}")
                .post("/api/v1/spaces/" + t.space + "/items"), 400));
        cases.add(api("item in another user's space", t -> t.apiJson("{\"name\":\"x\"}")
                .post("/api/v1/spaces/" + t.othersSpace + "/items"), 404));
        cases.add(api("another user's space", t -> t.api().get("/api/v1/spaces/" + t.othersSpace), 404));
        cases.add(api("rename another user's space", t -> t.apiJson("{\"name\":\"mine now\"}")
                .patch("/api/v1/spaces/" + t.othersSpace), 404));
        cases.add(api("delete another user's space", t -> t.api().delete("/api/v1/spaces/" + t.othersSpace), 404));
        cases.add(api("delete another user's item", t -> t.api().delete("/api/v1/items/" + t.othersItem), 404));
        cases.add(api("PATCH space with null name", t -> t.apiJson("{\"name\":null}")
                .patch("/api/v1/spaces/" + t.space), 400));
        cases.add(api("PATCH item with JSON array", t -> t.apiJson("[]").patch("/api/v1/items/" + t.item), 400));
        cases.add(api("PATCH item with string quantity", t -> t.apiJson("{\"quantity\":\"many\"}")
                .patch("/api/v1/items/" + t.item), 400));
        cases.add(api("control character in a space name", t -> t.apiJson("{\"name\":\"bell\\u0007\"}")
                .post("/api/v1/spaces"), 400));
        cases.add(api("lone surrogate in an item name", t -> t.apiJson("{\"name\":\"a\\udc00\"}")
                .post("/api/v1/spaces/" + t.space + "/items"), 400));
        cases.add(api("headers over 16 KiB", t -> padded(t.api()).get("/api/v1/spaces"), 431));
        return cases.stream();
    }

    @Order(1)
    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void hostileRequestThenExactErrorAndNothingChanged(Case hostile) {
        ensureFixtures();
        Map<String, Long> before = StateSnapshot.take(pool);
        Response response = hostile.send().apply(this);
        String body = response.asString();

        assertEquals(hostile.status(), response.statusCode(), hostile + " answered " + body);
        assertFalse(body.contains("Exception") || body.contains("\tat ") || body.contains("org.hibernate"),
                "internals leak: " + body);
        if (hostile.group().equals("authorize") || hostile.group().equals("pages")) {
            assertPageAnswer(hostile, response);
        } else if (hostile.error() != null) {
            assertEquals(hostile.error(), response.jsonPath().getString("error"), body);
            assertTrue(response.contentType().startsWith("application/json"), response.contentType());
        } else if (response.statusCode() != 415 || hostile.group().equals("api")) {
            assertTrue(response.contentType().startsWith("application/problem+json"), response.contentType());
        }
        assertEquals(before, StateSnapshot.take(pool), hostile + " changed state");
    }

    /**
     * A page's answer: an error redirect goes only to the registered redirect URI and carries the expected error (and
     * the state only when it was a single plain value); any other redirect goes to sign in; an error page is HTML,
     * not cached, not frameable by other sites, and redirects nowhere.
     */
    private void assertPageAnswer(Case hostile, Response response) {
        String location = response.header("Location");
        if (hostile.error() != null) {
            assertNotNull(location, hostile + " did not redirect");
            assertTrue(location.startsWith(PUBLIC_REDIRECT + "?error=" + hostile.error() + "&"), location);
            assertFalse(location.contains("code="), location);
            assertTrue(location.contains("&state=hostile-state&") == !hostile.name().contains("state"), location);
        } else if (response.statusCode() / 100 == 3) {
            assertNotNull(location, hostile + " did not redirect");
            assertTrue(location.contains("/users/sign_in"), location);
        } else {
            assertNull(location, hostile + " redirected");
            assertTrue(response.contentType().startsWith("text/html"), response.contentType());
            assertEquals("no-store", response.header("Cache-Control"));
            assertTrue(response.header("Content-Security-Policy").contains("frame-ancestors"),
                    response.header("Content-Security-Policy"));
        }
    }

    @Test
    @Order(2)
    void afterTheHostileRequestsThenServerHealthyAndUsersStillSignIn() {
        ensureFixtures();
        given().get("/q/health/ready").then().statusCode(200);
        Tokens fresh = Fixtures.passwordTokens(app, user, null);
        given().auth().oauth2(fresh.accessToken()).get("/api/v1/me").then().statusCode(200);
        Fixtures.refresh(app, tokens.refreshToken(), null).statusCode(200);
    }

    @Test
    @Order(3)
    void caseCountCoversEveryGroup() {
        assertTrue(cases().count() >= 60, "hostile cases: " + cases().count());
        for (String group : new String[] {"token", "revoke", "introspect", "authorize", "api", "account", "pages"}) {
            assertTrue(cases().filter(c -> c.group().equals(group)).count() >= 5, "cases of " + group);
        }
    }
}
