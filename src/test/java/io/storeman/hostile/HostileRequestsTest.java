package io.storeman.hostile;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import io.storeman.support.ResourceFixtures;
import io.storeman.support.StateSnapshot;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
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

    private static final RestAssuredConfig RAW = RestAssuredConfig.config()
            .encoderConfig(EncoderConfig.encoderConfig().appendDefaultContentCharsetToContentTypeIfUndefined(false));

    @Inject
    Pool pool;

    private Account user;
    private App app;
    private App publicApp;
    private Tokens tokens;
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
        if (hostile.error() != null) {
            assertEquals(hostile.error(), response.jsonPath().getString("error"), body);
            assertTrue(response.contentType().startsWith("application/json"), response.contentType());
        } else if (response.statusCode() != 415 || hostile.group().equals("api")) {
            assertTrue(response.contentType().startsWith("application/problem+json"), response.contentType());
        }
        assertEquals(before, StateSnapshot.take(pool), hostile + " changed state");
    }

    @Test
    @Order(2)
    void afterTheHostileRequestsThenServerHealthyAndUsersStillSignIn() {
        ensureFixtures();
        given().get("/q/health/ready").then().statusCode(200);
        Tokens fresh = Fixtures.passwordTokens(app, user, null);
        given().auth().oauth2(fresh.accessToken()).get("/api/v1/me").then().statusCode(200);
        given().formParam("grant_type", "refresh_token").formParam("refresh_token", tokens.refreshToken())
                .formParam("client_id", app.clientId()).formParam("client_secret", app.clientSecret())
                .post("/oauth/token").then().statusCode(200);
    }

    @Test
    @Order(3)
    void caseCountCoversEveryGroup() {
        assertTrue(cases().count() >= 60, "hostile cases: " + cases().count());
        assertTrue(cases().filter(c -> c.group().equals("api")).count() >= 8, "API cases");
    }
}
