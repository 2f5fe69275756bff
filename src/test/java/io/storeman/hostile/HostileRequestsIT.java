package io.storeman.hostile;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.restassured.RestAssured;
import io.storeman.oauth.authorize.Pkce;
import io.storeman.support.AppInstance;
import io.storeman.support.Fixtures;
import io.storeman.support.Fixtures.Account;
import io.storeman.support.Fixtures.App;
import io.storeman.support.Pages;
import io.storeman.support.Pages.Browser;
import io.storeman.support.Pages.Visitor;
import io.storeman.support.RawHttp;
import io.storeman.support.ResourceFixtures;
import io.storeman.support.StateSnapshot;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.PgBuilder;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Issue 16's hostile-request suite, against the packaged jar: pathological patterns, huge and malformed fields, NUL,
 * control characters, invalid UTF-8 and lone surrogates in every field a form or JSON endpoint reads, in Basic
 * credentials, headers and paths; path variants of guarded endpoints; forged forwarding headers; cross-origin posts to
 * the account API. Each attack is one raw request (nothing normalises it on the way) and must be answered within 1 s,
 * never with a 5xx, with a refusal in the endpoint's own format, and must leave the database as it was. Afterwards
 * the attacked user, who knows the password, still signs in from the test's address, and the server is live.
 * Nothing is random: the attacks are listed, in a fixed order.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HostileRequestsIT {

    private static final Duration LIMIT = Duration.ofSeconds(1);
    /** How long to wait for an answer that is late already, to tell a slow answer from none. */
    private static final Duration PATIENCE = Duration.ofSeconds(3);
    private static final String EVIL = "https://evil.example";
    private static final String REDIRECT = "http://localhost:9999/callback";
    private static final String NEW_PASSWORD = "a brand new passphrase";
    /** Sizes of the huge values, taken in turn by the fields: 10 KB to 900 KB. */
    private static final int[] HUGE_SIZES = {10 * 1024, 100 * 1024, 900 * 1024};
    /** The e-mail of the issue: a naive e-mail pattern takes quadratic time to refuse it. */
    private static final String REDOS_EMAIL = "a@" + ".".repeat(40_000) + "@";
    private static final String FORGED_PREFIX = "203.0.113.";
    /**
     * Stands for the attack in a field value: sign-ups get an e-mail of their own (the victim's, new in every run,
     * with the attack's name before it), so one that wrongly succeeds cannot hide another behind a 409.
     */
    private static final String UNIQUE = "{attack}-";
    private static final Set<String> OAUTH_ERRORS = Set.of("invalid_request", "invalid_client", "invalid_grant",
            "unauthorized_client", "unsupported_grant_type", "invalid_scope", "unsupported_token_type", "slow_down");
    private static final String SAFE_REQUEST_ID = "[A-Za-z0-9._:@/+=-]{1,128}";
    private static final ObjectMapper JSON = new ObjectMapper();

    private static AppInstance instance;
    private static Vertx vertx;
    private static Pool pool;
    private static Account victim;
    private static App app;
    private static App publicApp;
    private static Browser browser;
    private static Visitor signInVisitor;
    private static Visitor signUpVisitor;
    private static String apiToken;
    private static long space;
    private static long item;
    /** The database as the last attack left it: one attack's state after is the next one's state before. */
    private static Map<String, Long> state;

    /** How a refusal must look at the endpoint attacked. */
    enum Format {
        /** RFC 6749 §5.2: a 4xx JSON {"error": ...} with a registered code. */
        OAUTH,
        /** As {@link #OAUTH}, or RFC 7009's {@code 200 {}} and RFC 7662's {@code 200 {"active": false}}. */
        OAUTH_OR_NOTHING_FOUND,
        /** A 4xx {@code application/problem+json} whose {@code status} is the status. */
        PROBLEM,
        /** The resource API: as {@link #PROBLEM}, or RFC 6750's 401 or 403 with {@code WWW-Authenticate: Bearer}. */
        BEARER_API,
        /** An HTML error page (4xx), or a redirect: to sign in, or to the client with an error. */
        PAGE,
        /** Refused by the HTTP layer before any endpoint: any 4xx. */
        HTTP
    }

    /** One hostile request: its class (for the count), a name, the bytes to send and the refusal expected. */
    record Attack(String kind, String name, RawHttp request, Format format) {
        @Override
        public String toString() {
            return kind + ": " + name;
        }
    }

    /** What a field is poisoned with; the bad bytes go into the middle of a valid value. */
    enum Poison {
        HUGE("huge field"), NUL("NUL"), CONTROL("control characters"), BAD_UTF8("invalid UTF-8"),
        LONE_SURROGATE("lone surrogate");

        final String kind;

        Poison(String kind) {
            this.kind = kind;
        }

        /** The value as it goes into a form body (or a query string when {@code query}). */
        byte[] form(String value, int hugeSize, boolean query) {
            String head = encode(value.substring(0, value.length() / 2));
            String tail = encode(value.substring(value.length() / 2));
            return concat(ascii(head), switch (this) {
                case HUGE -> ascii("a".repeat(hugeSize));
                case NUL -> ascii("%00");
                case CONTROL -> ascii("%07%1B%7F");
                case BAD_UTF8 -> query ? ascii("%FF%FE%C0%AF") : bytes(0xFF, 0xFE, 0xC0, 0xAF);
                case LONE_SURROGATE -> query ? ascii("%ED%A0%80") : bytes(0xED, 0xA0, 0x80);
            }, ascii(tail));
        }

        /** The value as a JSON string literal, quotes included. */
        byte[] json(String value, int hugeSize) {
            String head = jsonText(value.substring(0, value.length() / 2));
            String tail = jsonText(value.substring(value.length() / 2));
            return concat(utf8("\"" + head), switch (this) {
                case HUGE -> ascii("a".repeat(hugeSize));
                case NUL -> ascii("\\u0000");
                case CONTROL -> ascii("\\u0007\\u001b\\u007f");
                case BAD_UTF8 -> bytes(0xFF, 0xFE, 0xC0, 0xAF);
                case LONE_SURROGATE -> ascii("\\ud800");
            }, utf8(tail + "\""));
        }
    }

    /**
     * An endpoint that reads a form or a JSON body, with a request it would accept (or refuse only for the reason
     * the attack names) whose fields are poisoned one at a time.
     */
    record Target(String name, String method, String path, boolean json, Map<String, Object> fields,
            List<String> poisoned, Map<String, String> headers, Format format) {
    }

    @BeforeAll
    static void startInstanceAndMakeFixtures() throws InterruptedException {
        // The address limit (BruteForceTest's subject) would answer 429 to most attacks from 127.0.0.1, hiding what
        // lies behind it; the per-account limit keeps its production settings, as does password hashing.
        instance = AppInstance.start("it-hostile-requests", AppInstance.LOCAL_DATABASE,
                Map.of("STOREMAN_THROTTLE_ADDRESS_FAILURES", "1000000"));
        instance.awaitReady(AppInstance.START_TIMEOUT);
        RestAssured.port = instance.port();
        vertx = Vertx.vertx();
        pool = PgBuilder.pool()
                .connectingTo("postgresql://" + System.getenv().getOrDefault("STOREMAN_DB_USER", "postgres")
                        + "@127.0.0.1:5432/postgres?search_path=" + AppInstance.schema())
                .using(vertx)
                .build();

        victim = Fixtures.newUser();
        app = Fixtures.newApp(victim, "public read_items");
        publicApp = Fixtures.newPublicApp(victim, "public");
        Fixtures.passwordTokens(app, victim, null);
        browser = Pages.signIn(victim);
        signInVisitor = Pages.visit("/users/sign_in");
        signUpVisitor = Pages.visit("/users/sign_up");
        ResourceFixtures.Owner owner = ResourceFixtures.newOwner();
        apiToken = owner.allScopes();
        space = ResourceFixtures.newSpace(apiToken, "Hostile target");
        item = ResourceFixtures.newItem(apiToken, space, "Target item", 3);
        warmUp();
    }

    /** One harmless request to each page and endpoint, so that no attack pays for the first call's warm-up. */
    private static void warmUp() {
        given().redirects().follow(false).cookie(Pages.SESSION_COOKIE, browser.sessionCookie())
                .queryParams(authorization()).get("/oauth/authorize").then().statusCode(200);
        given().redirects().follow(false).cookie(Pages.SESSION_COOKIE, browser.sessionCookie())
                .get("/account/oauth/applications/new").then().statusCode(200);
        given().formParam("token", "warm-up").formParam("client_id", app.clientId())
                .formParam("client_secret", app.clientSecret()).post("/oauth/introspect").then().statusCode(200);
        given().formParam("token", "warm-up").formParam("client_id", app.clientId())
                .formParam("client_secret", app.clientSecret()).post("/oauth/revoke").then().statusCode(200);
        given().auth().oauth2(apiToken).get("/api/v1/spaces/" + space + "/items").then().statusCode(200);
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (pool != null) {
            pool.closeAndAwait();
            vertx.closeAndAwait();
        }
        if (instance != null) {
            instance.close();
        }
    }

    @TestFactory
    @Order(1)
    Stream<DynamicTest> hostileRequestThenPromptRefusalInTheEndpointsFormatAndNothingChanged() {
        return attacks().stream().map(attack -> dynamicTest(attack.toString(), () -> check(attack)));
    }

    @Test
    @Order(2)
    void afterTheAttacksThenTheVictimSignsInAndTheServerIsLive() throws Exception {
        // The attacks came from 127.0.0.1, and their wrong passwords slow that address only (T1): the victim, from
        // another address, signs in at once.
        String form = "grant_type=password&username=" + URLEncoder.encode(victim.email(), StandardCharsets.UTF_8)
                + "&password=" + URLEncoder.encode(victim.password(), StandardCharsets.UTF_8)
                + "&client_id=" + URLEncoder.encode(app.clientId(), StandardCharsets.UTF_8)
                + "&client_secret=" + URLEncoder.encode(app.clientSecret(), StandardCharsets.UTF_8);
        RawHttp.Answer answer = RawHttp.request("POST", "/oauth/token")
                .body("application/x-www-form-urlencoded", form.getBytes(StandardCharsets.UTF_8))
                .send(instance.port(), Duration.ofSeconds(10), InetAddress.getByName("127.0.0.2"));
        assertEquals(200, answer.status(), answer.toString());
        given().get("/q/health/live").then().statusCode(200);
    }

    @Test
    @Order(3)
    void forgedForwardingHeadersThenNoFailureCountedForTheForgedAddresses() {
        long forged = pool.preparedQuery("select count(*) from address_failures where address like $1")
                .execute(Tuple.of(FORGED_PREFIX + "%"))
                .map(rows -> rows.iterator().next().getLong(0))
                .await().atMost(Duration.ofSeconds(10));
        assertEquals(0, forged, "failures counted for forged addresses");
    }

    @Test
    @Order(4)
    void attacksNumberAtLeastAHundredAndCoverEveryClass() {
        Map<String, Long> perKind = attacks().stream()
                .collect(Collectors.groupingBy(Attack::kind, LinkedHashMap::new, Collectors.counting()));
        System.out.println("Hostile requests per class: " + perKind);
        assertTrue(perKind.values().stream().mapToLong(Long::longValue).sum() >= 100, perKind.toString());
        for (String kind : List.of("pathological pattern", "huge field", "NUL", "control characters",
                "invalid UTF-8", "lone surrogate", "Basic credentials", "headers", "path variants",
                "forwarding headers", "cross-origin")) {
            assertTrue(perKind.getOrDefault(kind, 0L) >= 5, kind + ": " + perKind);
        }
    }

    private static void check(Attack attack) {
        Map<String, Long> before = state == null ? StateSnapshot.take(pool) : state;
        state = null; // taken afresh should this attack end without an answer
        RawHttp.Answer answer;
        try {
            answer = attack.request().send(instance.port(), PATIENCE);
        } catch (AssertionError e) {
            throw new AssertionError(attack + ": " + e.getMessage(), e);
        }
        Map<String, Long> after = StateSnapshot.take(pool);
        state = after;
        String body = answer.body().length() > 300 ? answer.body().substring(0, 300) + "..." : answer.body();
        String what = attack + " answered " + answer.status() + " " + answer.contentType() + " " + body;
        String requestId = answer.header("X-Request-Id");
        assertAll(
                () -> assertTrue(answer.status() < 500, what),
                () -> assertTrue(answer.took().compareTo(LIMIT) <= 0,
                        attack + " took " + answer.took().toMillis() + " ms"),
                () -> assertFormat(attack.format(), answer, what),
                () -> assertTrue(!answer.body().contains("Exception") && !answer.body().contains("\tat "),
                        "internals leak: " + what),
                () -> assertTrue(requestId == null || requestId.matches(SAFE_REQUEST_ID), "request id " + requestId),
                () -> assertEquals(before, after, attack + " changed the database"));
    }

    private static void assertFormat(Format format, RawHttp.Answer answer, String what) {
        int status = answer.status();
        boolean refused = clientError(answer);
        switch (format) {
            case OAUTH -> assertTrue(refused && oauthError(answer), what);
            case OAUTH_OR_NOTHING_FOUND -> assertTrue(refused && oauthError(answer) || status == 200
                    && (answer.body().strip().equals("{}") || answer.body().replace(" ", "").equals(
                            "{\"active\":false}")), what);
            case PROBLEM -> assertTrue(problem(answer), what);
            case BEARER_API -> assertTrue(problem(answer) || (status == 401 || status == 403)
                    && String.valueOf(answer.header("WWW-Authenticate")).startsWith("Bearer"), what);
            case PAGE -> assertTrue(refused && answer.contentType().startsWith("text/html")
                    || status >= 300 && status < 400 && answer.header("Location") != null, what);
            case HTTP -> assertTrue(refused, what);
        }
    }

    private static boolean clientError(RawHttp.Answer answer) {
        return answer.status() >= 400 && answer.status() < 500;
    }

    private static boolean problem(RawHttp.Answer answer) {
        return clientError(answer) && answer.contentType().startsWith("application/problem+json")
                && json(answer.body()).path("status").asInt() == answer.status();
    }

    private static boolean oauthError(RawHttp.Answer answer) {
        return answer.contentType().startsWith("application/json")
                && OAUTH_ERRORS.contains(json(answer.body()).path("error").asText());
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (JsonProcessingException e) {
            return JSON.missingNode();
        }
    }

    // --- The attacks, in a fixed order

    static List<Attack> attacks() {
        List<Attack> attacks = new ArrayList<>();
        int field = 0;
        for (Target target : targets()) {
            for (String name : target.poisoned()) {
                int hugeSize = HUGE_SIZES[field++ % HUGE_SIZES.length];
                for (Poison poison : Poison.values()) {
                    attacks.add(new Attack(poison.kind, target.name() + ": " + name + " with " + poison.kind
                            + (poison == Poison.HUGE ? " (" + hugeSize / 1024 + " KB)" : ""),
                            poisoned(target, name, poison, hugeSize), target.format()));
                }
            }
        }
        attacks.addAll(authorizationQueries());
        attacks.addAll(basicCredentials());
        attacks.addAll(headers());
        attacks.addAll(pathVariants());
        attacks.addAll(forwardingHeaders());
        attacks.addAll(crossOrigin());
        // Last: on a server that does take quadratic time over them, they would slow the attacks after them.
        attacks.addAll(pathologicalPatterns());
        return attacks;
    }

    private static List<Target> targets() {
        String basic = basic(victim.email() + ":" + victim.password());
        String session = Pages.SESSION_COOKIE + "=" + browser.sessionCookie();
        Map<String, String> none = Map.of();
        Map<String, String> account = Map.of("Authorization", basic);
        Map<String, String> bearer = Map.of("Authorization", "Bearer " + apiToken);
        Map<String, String> page = Map.of("Cookie", session);
        Map<String, Object> passwordGrant = fields("grant_type", "password", "username", victim.email(),
                "password", victim.password(), "client_id", app.clientId(), "client_secret", app.clientSecret(),
                "scope", "public");
        Map<String, Object> decision = new LinkedHashMap<>(authorization());
        decision.put("_csrf", browser.csrf());
        decision.put("decision", "authorize");
        Map<String, Object> application = fields("name", "Hostile app", "scopes", "public",
                "redirect_uri", "https://app.example/callback");
        Map<String, Object> itemFields = fields("name", "Hostile item", "description", "about it", "quantity", 3);
        List<Target> targets = new ArrayList<>();
        targets.add(new Target("token (form)", "POST", "/oauth/token", false, passwordGrant,
                List.copyOf(passwordGrant.keySet()), none, Format.OAUTH));
        targets.add(new Target("token (JSON)", "POST", "/oauth/token", true, passwordGrant,
                List.copyOf(passwordGrant.keySet()), none, Format.OAUTH));
        targets.add(new Target("token refresh", "POST", "/oauth/token", false, fields("grant_type", "refresh_token",
                "refresh_token", "not-a-refresh-token", "client_id", app.clientId(),
                "client_secret", app.clientSecret()), List.of("refresh_token"), none, Format.OAUTH));
        targets.add(new Target("token code", "POST", "/oauth/token", false, fields("grant_type",
                "authorization_code", "code", "not-a-code", "redirect_uri", REDIRECT, "code_verifier", "v".repeat(43),
                "client_id", publicApp.clientId()), List.of("code", "redirect_uri", "code_verifier"), none,
                Format.OAUTH));
        Map<String, Object> tokenQuestion = fields("token", "not-a-token", "token_type_hint", "refresh_token",
                "client_id", app.clientId(), "client_secret", app.clientSecret());
        targets.add(new Target("revoke", "POST", "/oauth/revoke", false, tokenQuestion,
                List.copyOf(tokenQuestion.keySet()), none, Format.OAUTH_OR_NOTHING_FOUND));
        targets.add(new Target("introspect", "POST", "/oauth/introspect", false, tokenQuestion,
                List.copyOf(tokenQuestion.keySet()), none, Format.OAUTH_OR_NOTHING_FOUND));
        targets.add(new Target("consent form", "POST", "/oauth/authorize", false, decision,
                List.of("_csrf", "decision", "client_id", "redirect_uri", "state", "scope", "code_challenge"), page,
                Format.PAGE));
        Map<String, Object> signUp = fields("email", UNIQUE + victim.email(), "password", NEW_PASSWORD);
        targets.add(new Target("API sign-up", "POST", "/api/v1/users", true, signUp, List.copyOf(signUp.keySet()),
                none, Format.PROBLEM));
        Map<String, Object> signUpForm = fields("_csrf", signUpVisitor.csrf(), "email", UNIQUE + victim.email(),
                "password", NEW_PASSWORD, "password_confirmation", NEW_PASSWORD);
        targets.add(new Target("sign-up form", "POST", "/users/sign_up", false, signUpForm,
                List.copyOf(signUpForm.keySet()), Map.of("Cookie", Pages.PRE_SESSION_COOKIE + "="
                        + signUpVisitor.preSessionCookie()), Format.PAGE));
        Map<String, String> signInCookie = Map.of("Cookie", Pages.PRE_SESSION_COOKIE + "="
                + signInVisitor.preSessionCookie());
        targets.add(new Target("sign-in form", "POST", "/users/sign_in", false, fields("_csrf", signInVisitor.csrf(),
                "email", victim.email(), "password", victim.password()), List.of("_csrf", "email", "password"),
                signInCookie, Format.PAGE));
        targets.add(new Target("sign-in form with a wrong password", "POST", "/users/sign_in", false,
                fields("_csrf", signInVisitor.csrf(), "email", victim.email(), "password", "not the password",
                        "next", "/account"), List.of("next"), signInCookie, Format.PAGE));
        targets.add(new Target("account API create", "POST", "/api/v1/oauth/applications", true, application,
                List.copyOf(application.keySet()), account, Format.PROBLEM));
        targets.add(new Target("account API update", "PATCH", "/api/v1/oauth/applications/" + app.id(), true,
                application, List.copyOf(application.keySet()), account, Format.PROBLEM));
        Map<String, Object> passwordChange = fields("current_password", victim.password(),
                "new_password", NEW_PASSWORD);
        targets.add(new Target("account API password", "PUT", "/api/v1/me/password", true, passwordChange,
                List.copyOf(passwordChange.keySet()), account, Format.PROBLEM));
        Map<String, Object> applicationForm = fields("_csrf", browser.csrf(), "_once", "o".repeat(43),
                "name", "Hostile app",
                "redirect_uri", "https://app.example/callback", "type", "confidential", "scopes", "public");
        targets.add(new Target("application form", "POST", "/account/oauth/applications", false, applicationForm,
                List.copyOf(applicationForm.keySet()), page, Format.PAGE));
        Map<String, Object> passwordForm = fields("_csrf", browser.csrf(), "current_password", victim.password(),
                "new_password", NEW_PASSWORD, "new_password_confirmation", NEW_PASSWORD);
        targets.add(new Target("password form", "POST", "/account/password", false, passwordForm,
                List.copyOf(passwordForm.keySet()), page, Format.PAGE));
        Map<String, Object> spaceFields = fields("name", "Hostile space", "description", "about it");
        targets.add(new Target("create space", "POST", "/api/v1/spaces", true, spaceFields,
                List.copyOf(spaceFields.keySet()), bearer, Format.BEARER_API));
        targets.add(new Target("create item", "POST", "/api/v1/spaces/" + space + "/items", true, itemFields,
                List.copyOf(itemFields.keySet()), bearer, Format.BEARER_API));
        targets.add(new Target("update item", "PATCH", "/api/v1/items/" + item, true, itemFields,
                List.copyOf(itemFields.keySet()), bearer, Format.BEARER_API));
        return targets;
    }

    private static RawHttp poisoned(Target target, String poisonedField, Poison poison, int hugeSize) {
        String tag = (target.name() + " " + poisonedField + " " + poison + " ").replaceAll("[^A-Za-z0-9]+", "-")
                .toLowerCase(Locale.ROOT);
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(ascii(target.json() ? "{" : ""));
        boolean first = true;
        for (Map.Entry<String, Object> field : target.fields().entrySet()) {
            body.writeBytes(ascii(first ? "" : target.json() ? "," : "&"));
            first = false;
            Object plain = field.getValue() instanceof String text ? text.replace(UNIQUE, tag) : field.getValue();
            String value = String.valueOf(plain);
            boolean hit = field.getKey().equals(poisonedField);
            if (target.json()) {
                body.writeBytes(utf8("\"" + field.getKey() + "\":"));
                body.writeBytes(hit ? poison.json(value, hugeSize) : utf8(jsonValue(plain)));
            } else {
                body.writeBytes(ascii(encode(field.getKey()) + "="));
                body.writeBytes(hit ? poison.form(value, hugeSize, false) : ascii(encode(value)));
            }
        }
        body.writeBytes(ascii(target.json() ? "}" : ""));
        RawHttp request = RawHttp.request(target.method(), target.path());
        target.headers().forEach(request::header);
        return request.body(target.json() ? "application/json" : "application/x-www-form-urlencoded",
                body.toByteArray());
    }

    /** GET /oauth/authorize with each parameter poisoned in turn (percent-encoded: a query has no body). */
    private static List<Attack> authorizationQueries() {
        List<Attack> attacks = new ArrayList<>();
        for (String name : authorization().keySet()) {
            for (Poison poison : List.of(Poison.NUL, Poison.CONTROL, Poison.BAD_UTF8, Poison.LONE_SURROGATE)) {
                StringBuilder query = new StringBuilder();
                authorization().forEach((key, value) -> query.append(query.isEmpty() ? "?" : "&").append(key)
                        .append('=').append(key.equals(name)
                                ? new String(poison.form(value, 0, true), StandardCharsets.US_ASCII)
                                : encode(value)));
                attacks.add(new Attack(poison.kind, "authorization request: " + name + " with " + poison.kind,
                        RawHttp.request("GET", "/oauth/authorize" + query)
                                .header("Cookie", Pages.SESSION_COOKIE + "=" + browser.sessionCookie()),
                        Format.PAGE));
            }
        }
        return attacks;
    }

    private static List<Attack> basicCredentials() {
        List<Attack> attacks = new ArrayList<>();
        Map<String, byte[]> secrets = new LinkedHashMap<>();
        secrets.put("NUL", utf8("secret\0"));
        secrets.put("control characters", utf8("sec\u0007\u001bret"));
        secrets.put("invalid UTF-8", bytes(0xFF, 0xFE, 0xC0, 0xAF));
        secrets.put("a lone surrogate", bytes(0xED, 0xA0, 0x80));
        secrets.put("5,000 characters", ascii("s".repeat(5000)));
        secrets.put("broken percent-escapes", ascii("%FF%zz%00"));
        for (Map.Entry<String, byte[]> secret : secrets.entrySet()) {
            attacks.add(new Attack("Basic credentials", "client secret with " + secret.getKey(),
                    clientCredentials().header("Authorization", "Basic " + base64(concat(
                            utf8(app.clientId() + ":"), secret.getValue()))), Format.OAUTH));
            attacks.add(new Attack("Basic credentials", "account password with " + secret.getKey(),
                    RawHttp.request("GET", "/api/v1/oauth/applications").header("Authorization", "Basic "
                            + base64(concat(utf8(victim.email() + ":"), secret.getValue()))), Format.PROBLEM));
        }
        attacks.add(new Attack("Basic credentials", "client credentials not in base64",
                clientCredentials().header("Authorization", "Basic !!!not base64!!!"), Format.OAUTH));
        attacks.add(new Attack("Basic credentials", "account credentials not in base64",
                RawHttp.request("GET", "/api/v1/oauth/applications").header("Authorization", "Basic ***"),
                Format.PROBLEM));
        attacks.add(new Attack("Basic credentials", "invalid UTF-8 in the e-mail",
                RawHttp.request("GET", "/api/v1/oauth/applications").header("Authorization", "Basic "
                        + base64(concat(bytes(0xC3, 0x28), utf8(victim.email() + ":" + victim.password())))),
                Format.PROBLEM));
        return attacks;
    }

    private static List<Attack> headers() {
        String sessionCookie = Pages.SESSION_COOKIE + "=";
        return List.of(
                new Attack("headers", "Bearer token of 7,000 characters", RawHttp.request("GET", "/api/v1/me")
                        .header("Authorization", "Bearer " + "t".repeat(7000)), Format.BEARER_API),
                new Attack("headers", "Bearer token with invalid UTF-8", RawHttp.request("GET", "/api/v1/me")
                        .header("Authorization", concat(ascii("Bearer ab"), bytes(0xFF, 0xC0, 0xAF))),
                        Format.BEARER_API),
                new Attack("headers", "Bearer token with a NUL byte", RawHttp.request("GET", "/api/v1/me")
                        .header("Authorization", concat(ascii("Bearer ab"), bytes(0), ascii("cd"))), Format.HTTP),
                new Attack("headers", "session cookie with invalid UTF-8", RawHttp.request("GET", "/account")
                        .header("Cookie", concat(ascii(sessionCookie), bytes(0xFF, 0xFE))), Format.PAGE),
                new Attack("headers", "session cookie with an escaped NUL", RawHttp.request("GET", "/account")
                        .header("Cookie", sessionCookie + "a%00b"), Format.PAGE),
                new Attack("headers", "session cookie with a lone surrogate", RawHttp.request("GET", "/account")
                        .header("Cookie", concat(ascii(sessionCookie), bytes(0xED, 0xA0, 0x80))), Format.PAGE),
                new Attack("headers", "session cookie of 7,000 characters", RawHttp.request("GET", "/account")
                        .header("Cookie", sessionCookie + "c".repeat(7000)), Format.PAGE),
                new Attack("headers", "request id with invalid UTF-8", RawHttp.request("GET", "/api/v1/me")
                        .header("X-Request-Id", bytes(0xFF, 0xFE, 0x41)), Format.BEARER_API),
                new Attack("headers", "request id of 7,000 characters", RawHttp.request("GET", "/api/v1/me")
                        .header("X-Request-Id", "r".repeat(7000)), Format.BEARER_API),
                new Attack("headers", "request id with a control character", RawHttp.request("GET", "/api/v1/me")
                        .header("X-Request-Id", bytes(0x41, 0x07, 0x42)), Format.HTTP),
                new Attack("headers", "content type with invalid UTF-8", RawHttp.request("POST", "/oauth/token")
                        .header("Content-Type", concat(ascii("application/json"), bytes(0xFF)))
                        .body(null, ascii("{\"grant_type\":\"client_credentials\"}")), Format.OAUTH),
                new Attack("headers", "content type with a 5,000-character charset",
                        RawHttp.request("POST", "/oauth/token").body("application/x-www-form-urlencoded; charset="
                                + "x".repeat(5000), ascii("grant_type=client_credentials")), Format.OAUTH),
                new Attack("headers", "Origin with invalid UTF-8", accountRequest("GET", "/api/v1/oauth/applications")
                        .header("Origin", concat(ascii("https://"), bytes(0xFF, 0xFE))), Format.PROBLEM));
    }

    private static List<Attack> pathVariants() {
        List<Attack> attacks = new ArrayList<>();
        String applications = "/api/v1/oauth/applications";
        for (String path : List.of(applications + "/", "//api/v1/oauth/applications", "/api/v1//oauth/applications",
                applications + ";jsessionid=x", "/api/v1/oauth/./applications", "/api/v1/x/../oauth/applications",
                "/api/v1/%6fauth/applications", "/API/V1/OAUTH/APPLICATIONS", "/api/v1/oauth%2Fapplications",
                applications + "%00", applications + "%FF", applications + "/%ED%A0%80",
                applications + "/" + "a".repeat(3000), "/api/v1/authorized_applications/..%2f..%2fme")) {
            attacks.add(new Attack("path variants", "GET " + path.substring(0, Math.min(path.length(), 60))
                    + " without credentials", RawHttp.request("GET", path), Format.PROBLEM));
        }
        for (String path : List.of("/api/v1/spaces/", "//api/v1/spaces", "/api/v1/spaces;x=y",
                "/api/v1/spaces/%2e%2e/spaces", "/api/v1/items/1%00", "/q/../api/v1/spaces",
                "/api/v1/spaces/" + space + "/items/")) {
            attacks.add(new Attack("path variants", "GET " + path + " without a token", RawHttp.request("GET", path),
                    Format.BEARER_API));
        }
        attacks.add(new Attack("path variants", "GET with a raw 0xFF byte in the path",
                RawHttp.request("GET", concat(ascii(applications + "/"), bytes(0xFF))), Format.HTTP));
        attacks.add(new Attack("path variants", "GET with a raw control character in the path",
                RawHttp.request("GET", concat(ascii(applications + "/"), bytes(0x01))), Format.HTTP));
        for (String path : List.of("/api/v1/me/password/", "/api/v1/me/./password", "//api/v1/me/password")) {
            attacks.add(new Attack("path variants", "PUT " + path + " without credentials",
                    RawHttp.request("PUT", path).body("application/json", utf8("{\"current_password\":\"x\","
                            + "\"new_password\":\"" + NEW_PASSWORD + "\"}")), Format.PROBLEM));
        }
        String secret = applications + "/" + app.id() + "/secret";
        for (String path : List.of(secret + "/", "/" + secret, applications + "/" + app.id() + "/./secret",
                applications + "/0" + app.id() + "/secret", applications + "/" + app.id() + "%2Fsecret",
                secret + ";x=y", applications + "/" + app.id() + "/SECRET")) {
            attacks.add(new Attack("path variants", "cross-site POST " + path, accountRequest("POST", path)
                    .body("text/plain", ascii("x=y")), Format.PROBLEM));
        }
        for (String path : List.of("/oauth/token/", "//oauth/token", "/oauth/token%00", "/oauth/./token")) {
            attacks.add(new Attack("path variants", "POST " + path + " with a wrong secret", RawHttp.request("POST",
                    path).body("application/x-www-form-urlencoded", ascii("grant_type=client_credentials"
                            + "&client_id=" + app.clientId() + "&client_secret=wrong")), Format.OAUTH));
        }
        for (String path : List.of("/account/oauth/applications/", "//account", "/account/./oauth/applications",
                "/account/oauth/applications/%00")) {
            attacks.add(new Attack("path variants", "GET " + path + " without a session",
                    RawHttp.request("GET", path), Format.PAGE));
        }
        attacks.add(new Attack("path variants", "POST a trailing-slash secret page without CSRF token",
                RawHttp.request("POST", "/account/oauth/applications/" + app.id() + "/secret/")
                        .header("Cookie", Pages.SESSION_COOKIE + "=" + browser.sessionCookie())
                        .body("application/x-www-form-urlencoded", ascii("x=y")), Format.PAGE));
        return attacks;
    }

    private static List<Attack> forwardingHeaders() {
        List<Attack> attacks = new ArrayList<>();
        for (int i = 1; i <= 10; i++) {
            attacks.add(new Attack("forwarding headers", "wrong password from forged X-Forwarded-For #" + i,
                    wrongPasswordGrant().header("X-Forwarded-For", FORGED_PREFIX + i), Format.OAUTH));
        }
        String many = Stream.iterate(1, i -> i + 1).limit(400).map(i -> FORGED_PREFIX + (i % 250))
                .collect(Collectors.joining(", "));
        Map<String, Map<String, String>> forged = new LinkedHashMap<>();
        forged.put("X-Forwarded-For naming the loopback first", Map.of("X-Forwarded-For",
                "127.0.0.1, " + FORGED_PREFIX + "100"));
        forged.put("X-Forwarded-For of 400 addresses", Map.of("X-Forwarded-For", many));
        forged.put("X-Forwarded-For with markup", Map.of("X-Forwarded-For", "unknown, <script>x</script>"));
        forged.put("Forwarded", Map.of("Forwarded", "for=" + FORGED_PREFIX + "101;proto=https;host=evil.example"));
        forged.put("X-Real-IP", Map.of("X-Real-IP", FORGED_PREFIX + "102"));
        forged.put("True-Client-IP and X-Client-IP", Map.of("True-Client-IP", FORGED_PREFIX + "103",
                "X-Client-IP", FORGED_PREFIX + "104"));
        forged.forEach((name, headers) -> {
            RawHttp request = wrongPasswordGrant();
            headers.forEach(request::header);
            attacks.add(new Attack("forwarding headers", "wrong password with " + name, request, Format.OAUTH));
        });
        attacks.add(new Attack("forwarding headers", "X-Forwarded-For with invalid UTF-8",
                wrongPasswordGrant().header("X-Forwarded-For", concat(ascii(FORGED_PREFIX), bytes(0xFF))),
                Format.OAUTH));
        attacks.add(new Attack("forwarding headers", "sign-in form with a wrong password from a forged address",
                RawHttp.request("POST", "/users/sign_in")
                        .header("Cookie", Pages.PRE_SESSION_COOKIE + "=" + signInVisitor.preSessionCookie())
                        .header("X-Forwarded-For", FORGED_PREFIX + "105")
                        .body("application/x-www-form-urlencoded", ascii("_csrf=" + encode(signInVisitor.csrf())
                                + "&email=" + encode(victim.email()) + "&password=wrong")), Format.PAGE));
        attacks.add(new Attack("forwarding headers", "account API with a wrong password from a forged address",
                RawHttp.request("GET", "/api/v1/oauth/applications")
                        .header("Authorization", basic(victim.email() + ":wrong"))
                        .header("X-Forwarded-For", FORGED_PREFIX + "106"), Format.PROBLEM));
        // A cross-site request whose forwarding headers claim it was addressed to the attacker's origin.
        attacks.add(new Attack("forwarding headers", "JSON POST from another origin claiming its host",
                accountRequest("POST", "/api/v1/oauth/applications/" + app.id() + "/secret")
                        .header("Origin", EVIL).header("X-Forwarded-Host", "evil.example")
                        .header("X-Forwarded-Proto", "https").header("Forwarded", "host=evil.example;proto=https")
                        .body("application/json", ascii("{}")), Format.PROBLEM));
        return attacks;
    }

    private static List<Attack> crossOrigin() {
        String secret = "/api/v1/oauth/applications/" + app.id() + "/secret";
        String applications = "/api/v1/oauth/applications";
        byte[] json = utf8("{\"name\":\"Forged\",\"scopes\":\"public\"}");
        byte[] multipart = ascii("--b\r\nContent-Disposition: form-data; name=\"x\"\r\n\r\ny\r\n--b--\r\n");
        String form = "application/x-www-form-urlencoded";
        String cookie = Pages.SESSION_COOKIE + "=" + browser.sessionCookie();
        List<Attack> attacks = new ArrayList<>();
        attacks.add(crossOrigin("text/plain POST of a secret from another origin (the issue's attack)",
                accountRequest("POST", secret).header("Origin", EVIL).body("text/plain", ascii("x=y"))));
        attacks.add(crossOrigin("text/plain POST of a secret without Origin",
                accountRequest("POST", secret).body("text/plain", ascii("x=y"))));
        attacks.add(crossOrigin("form POST of a secret from another origin",
                accountRequest("POST", secret).header("Origin", EVIL).body(form, ascii("x=y"))));
        attacks.add(crossOrigin("multipart POST of a secret from another origin",
                accountRequest("POST", secret).header("Origin", EVIL).body("multipart/form-data; boundary=b",
                        multipart)));
        attacks.add(crossOrigin("body-less POST of a secret from another origin",
                accountRequest("POST", secret).header("Origin", EVIL)));
        attacks.add(crossOrigin("body-less POST of a secret without Origin", accountRequest("POST", secret)));
        String secrets = "/api/v1/oauth/applications/" + app.id() + "/secrets";
        attacks.add(crossOrigin("text/plain POST of a second secret from another origin",
                accountRequest("POST", secrets).header("Origin", EVIL).body("text/plain", ascii("x=y"))));
        attacks.add(crossOrigin("body-less POST of a second secret without Origin", accountRequest("POST", secrets)));
        attacks.add(crossOrigin("DELETE of a secret from another origin",
                accountRequest("DELETE", secrets + "/1").header("Origin", EVIL)));
        attacks.add(crossOrigin("text/plain JSON creating an application from another origin",
                accountRequest("POST", applications).header("Origin", EVIL).body("text/plain", json)));
        attacks.add(crossOrigin("text/plain JSON creating an application without Origin",
                accountRequest("POST", applications).body("text/plain; charset=utf-8", json)));
        attacks.add(crossOrigin("form creating an application",
                accountRequest("POST", applications).body(form, ascii("name=Forged&scopes=public"))));
        attacks.add(crossOrigin("JSON creating an application from another origin",
                accountRequest("POST", applications).header("Origin", EVIL).body("application/json", json)));
        for (String origin : List.of("null", "http://127.0.0.1:" + instance.port() + ".evil.example",
                "http://storeman.test.evil.example", "http://127.0.0.1:1", "HTTPS://EVIL.EXAMPLE")) {
            attacks.add(crossOrigin("JSON POST of a secret from Origin " + origin,
                    accountRequest("POST", secret).header("Origin", origin).body("application/json", ascii("{}"))));
        }
        attacks.add(crossOrigin("revoking an authorization from another origin",
                accountRequest("DELETE", "/api/v1/authorized_applications/" + app.clientId()).header("Origin", EVIL)));
        attacks.add(crossOrigin("JSON password change from another origin",
                accountRequest("PUT", "/api/v1/me/password").header("Origin", EVIL).body("application/json",
                        utf8("{\"current_password\":\"" + victim.password() + "\",\"new_password\":\""
                                + NEW_PASSWORD + "\"}"))));
        attacks.add(crossOrigin("form password change", accountRequest("PUT", "/api/v1/me/password")
                .body(form, ascii("current_password=x&new_password=y"))));
        attacks.add(crossOrigin("text/plain DELETE of an application",
                accountRequest("DELETE", applications + "/" + app.id()).body("text/plain", ascii("x"))));
        attacks.add(crossOrigin("session cookie and CSRF token, from another origin",
                RawHttp.request("POST", secret).header("Cookie", cookie).header("X-CSRF-Token", browser.csrf())
                        .header("Origin", EVIL).body("application/json", ascii("{}"))));
        attacks.add(crossOrigin("session cookie, text/plain, no CSRF token",
                RawHttp.request("POST", secret).header("Cookie", cookie).body("text/plain", ascii("x=y"))));
        attacks.add(crossOrigin("text/plain JSON sign-up from another origin",
                RawHttp.request("POST", "/api/v1/users").header("Origin", EVIL).body("text/plain",
                        utf8("{\"email\":\"cross-site-" + victim.email() + "\",\"password\":\"" + NEW_PASSWORD
                                + "\"}"))));
        return attacks;
    }

    private static Attack crossOrigin(String name, RawHttp request) {
        return new Attack("cross-origin", name, request, Format.PROBLEM);
    }

    private static List<Attack> pathologicalPatterns() {
        List<Attack> attacks = new ArrayList<>();
        for (String email : List.of(REDOS_EMAIL, "a".repeat(40_000) + "@", "a@" + "a.".repeat(20_000) + "@",
                "@".repeat(40_000), "a@a" + ".a".repeat(20_000) + " ")) {
            attacks.add(new Attack("pathological pattern", "API sign-up with e-mail "
                    + email.substring(0, 12) + "... (" + email.length() + " characters)",
                    RawHttp.request("POST", "/api/v1/users").body("application/json", utf8("{\"email\":\"" + email
                            + "\",\"password\":\"" + NEW_PASSWORD + "\"}")), Format.PROBLEM));
        }
        attacks.add(new Attack("pathological pattern", "sign-up form with the issue's e-mail",
                RawHttp.request("POST", "/users/sign_up")
                        .header("Cookie", Pages.PRE_SESSION_COOKIE + "=" + signUpVisitor.preSessionCookie())
                        .body("application/x-www-form-urlencoded", ascii("_csrf=" + encode(signUpVisitor.csrf())
                                + "&email=" + encode(REDOS_EMAIL) + "&password=" + encode(NEW_PASSWORD)
                                + "&password_confirmation=" + encode(NEW_PASSWORD))), Format.PAGE));
        attacks.add(new Attack("pathological pattern", "sign-in form with the issue's e-mail",
                RawHttp.request("POST", "/users/sign_in")
                        .header("Cookie", Pages.PRE_SESSION_COOKIE + "=" + signInVisitor.preSessionCookie())
                        .body("application/x-www-form-urlencoded", ascii("_csrf=" + encode(signInVisitor.csrf())
                                + "&email=" + encode(REDOS_EMAIL) + "&password=x")), Format.PAGE));
        attacks.add(new Attack("pathological pattern", "password grant for the issue's e-mail",
                RawHttp.request("POST", "/oauth/token").body("application/x-www-form-urlencoded",
                        ascii("grant_type=password&username=" + encode(REDOS_EMAIL) + "&password=x&client_id="
                                + app.clientId() + "&client_secret=" + app.clientSecret())), Format.OAUTH));
        attacks.add(new Attack("pathological pattern", "account API with the issue's e-mail in Basic",
                RawHttp.request("GET", "/api/v1/oauth/applications").header("Authorization",
                        basic(REDOS_EMAIL.substring(0, 4000) + "@:x")), Format.PROBLEM));
        attacks.add(new Attack("pathological pattern", "redirect URI of 10,000 dot-segments",
                accountRequest("POST", "/api/v1/oauth/applications").body("application/json", utf8(
                        "{\"name\":\"x\",\"scopes\":\"public\",\"redirect_uri\":\"https://a" + "/..".repeat(10_000)
                                + "\"}")), Format.PROBLEM));
        attacks.add(new Attack("pathological pattern", "scope of 40,000 spaces",
                clientCredentials("public" + " ".repeat(40_000) + "read_items"), Format.OAUTH));
        return attacks;
    }

    // --- Request helpers

    /** The valid authorization request of the public application. */
    private static Map<String, String> authorization() {
        Map<String, String> query = new LinkedHashMap<>();
        query.put("response_type", "code");
        query.put("client_id", publicApp.clientId());
        query.put("redirect_uri", REDIRECT);
        query.put("scope", "public");
        query.put("state", "hostile-state");
        query.put("code_challenge", Pkce.challengeOf("v".repeat(43)));
        query.put("code_challenge_method", "S256");
        return query;
    }

    /** A request with the victim's own Basic credentials, as a browser that cached them sends it. */
    private static RawHttp accountRequest(String method, String path) {
        return RawHttp.request(method, path).header("Authorization", basic(victim.email() + ":" + victim.password()));
    }

    /** A client_credentials request to be authenticated by the Basic header the caller adds. */
    private static RawHttp clientCredentials() {
        return RawHttp.request("POST", "/oauth/token").body("application/x-www-form-urlencoded",
                ascii("grant_type=client_credentials"));
    }

    /** A client_credentials request of the confidential application, for {@code scope}. */
    private static RawHttp clientCredentials(String scope) {
        return RawHttp.request("POST", "/oauth/token").body("application/x-www-form-urlencoded",
                ascii("grant_type=client_credentials&scope=" + encode(scope) + "&client_id=" + app.clientId()
                        + "&client_secret=" + app.clientSecret()));
    }

    private static RawHttp wrongPasswordGrant() {
        return RawHttp.request("POST", "/oauth/token").body("application/x-www-form-urlencoded",
                ascii("grant_type=password&username=" + encode(victim.email()) + "&password=wrong&client_id="
                        + app.clientId() + "&client_secret=" + app.clientSecret()));
    }

    private static Map<String, Object> fields(Object... namesAndValues) {
        Map<String, Object> fields = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            fields.put((String) namesAndValues[i], namesAndValues[i + 1]);
        }
        return fields;
    }

    private static String basic(String pair) {
        return "Basic " + base64(utf8(pair));
    }

    private static String base64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static String jsonValue(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A string as JSON escapes it, without the quotes. */
    private static String jsonText(String value) {
        String quoted = jsonValue(value);
        return quoted.substring(1, quoted.length() - 1);
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] bytes(int... values) {
        byte[] bytes = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            bytes[i] = (byte) values[i];
        }
        return bytes;
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            all.writeBytes(part);
        }
        return all.toByteArray();
    }
}
