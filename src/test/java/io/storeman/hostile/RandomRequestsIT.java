package io.storeman.hostile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.restassured.RestAssured;
import io.storeman.support.AppInstance;
import io.storeman.support.Fixtures;
import io.storeman.support.Fixtures.Account;
import io.storeman.support.Fixtures.App;
import io.storeman.support.Fixtures.Tokens;
import io.storeman.support.RawHttp;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Property-based hostile input (jqwik) against the packaged application: random bytes and random mixes of parameters,
 * encodings, content types and Authorization headers thrown at {@code POST /oauth/token} and {@code POST /oauth/revoke}.
 * Whatever the seed, every answer must be a 4xx with a JSON body naming an RFC error code; never a 5xx, never a token.
 * The only 2xx allowed is revocation's {@code 200 {}} when the request names the public client (which needs no secret).
 * Requests go over a raw socket ({@link RawHttp}) so that nothing is normalised on the way.
 */
class RandomRequestsIT {

    private static final Set<String> RFC_ERRORS = Set.of("invalid_request", "invalid_client", "invalid_grant",
            "unauthorized_client", "unsupported_grant_type", "invalid_scope", "unsupported_token_type", "slow_down");
    private static final List<String> NAMES = List.of("grant_type", "client_id", "client_secret", "username",
            "password", "refresh_token", "scope", "code", "redirect_uri", "code_verifier", "token", "token_type_hint",
            "assertion", "client_assertion", "state");
    private static final List<String> ENDPOINTS = List.of("/oauth/token", "/oauth/revoke");
    private static final ObjectMapper JSON = new ObjectMapper();

    private static AppInstance instance;
    private static App app;
    private static App publicApp;
    private static Account user;
    private static Tokens tokens;

    /** One request as it goes on the wire; {@code null} headers are left out. */
    record Request(String path, String contentType, String authorization, byte[] body, String description) {
        @Override
        public String toString() {
            return "POST " + path + " Content-Type=" + contentType + " Authorization=" + authorization + " "
                    + description;
        }
    }

    record Answer(int status, String contentType, String body) {

        /** Status and error code, for the distribution jqwik reports after each property. */
        String summary() {
            int at = body.indexOf("\"error\":\"");
            return status + (at < 0 ? "" : " " + body.substring(at + 9, Math.max(at + 9, body.indexOf('"', at + 9))));
        }
    }

    @BeforeContainer
    static void startInstance() throws InterruptedException {
        // The address limit would answer 429 after 100 failures from 127.0.0.1, hiding what lies behind it; a cheap
        // Argon2 keeps the dummy hashing of unknown users fast.
        instance = AppInstance.start("it-random-requests", AppInstance.LOCAL_DATABASE, Map.of(
                "STOREMAN_THROTTLE_ADDRESS_FAILURES", "1000000",
                "STOREMAN_PASSWORD_MEMORY_KIB", "1024",
                "STOREMAN_PASSWORD_ITERATIONS", "1"));
        instance.awaitReady(AppInstance.START_TIMEOUT);
        RestAssured.port = instance.port();
        user = Fixtures.newUser();
        app = Fixtures.newApp(user, "public");
        publicApp = Fixtures.newPublicApp(user, "public");
        tokens = Fixtures.passwordTokens(app, user, null);
    }

    @AfterContainer
    static void stopInstance() throws InterruptedException {
        if (instance != null) {
            // Nothing random revoked or used up the real tokens, and the server still issues new ones.
            try {
                RestAssured.given().formParam("grant_type", "refresh_token")
                        .formParam("refresh_token", tokens.refreshToken())
                        .formParam("client_id", app.clientId()).formParam("client_secret", app.clientSecret())
                        .post("/oauth/token").then().statusCode(200);
                Fixtures.passwordTokens(app, user, null);
            } finally {
                instance.close();
            }
        }
    }

    @Property(tries = 400)
    void randomBytesThenOnlyRfcErrors(@ForAll("endpoints") String path, @ForAll("contentTypes") String contentType,
            @ForAll("bytes") byte[] body) {
        Request request = new Request(path, contentType, null, body, body.length + " random bytes");
        Answer answer = send(request);
        Statistics.label("answers").collect(answer.summary());
        assertRfcError(request, answer);
    }

    @Property(tries = 500)
    void randomParameterMixesThenOnlyRfcErrors(@ForAll("requests") Request request) {
        Answer answer = send(request);
        Statistics.label("answers").collect(answer.summary());
        assertRfcError(request, answer);
    }

    /** A limit a request goes over (L1, L5, L6), and by how much. */
    enum Limit {
        BODY(413), BODY_IN_CHUNKS(413), URL(414), HEADERS(431);

        final int status;

        Limit(int status) {
            this.status = status;
        }
    }

    /**
     * Requests over a limit, by a random margin, at endpoints of every kind: always the limit's status in that
     * endpoint's error format (RFC 6749 JSON at /oauth/*, an HTML page at the pages, problem+json elsewhere).
     */
    @Property(tries = 60)
    void requestsOverALimitThenItsStatusInTheEndpointsFormat(@ForAll("limitedPaths") String path,
            @ForAll Limit limit, @ForAll("margins") int margin) {
        byte[] body = limit == Limit.BODY || limit == Limit.BODY_IN_CHUNKS ? new byte[1024 * 1024 + margin] : null;
        if (body != null) {
            Arrays.fill(body, (byte) 'b');
        }
        String target = limit == Limit.URL ? path + "?pad=" + "u".repeat(8192 + margin) : path;
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/x-www-form-urlencoded");
        if (limit == Limit.HEADERS) {
            headers.put("X-Pad", "h".repeat(16 * 1024 + margin));
        }
        RawHttp.Answer answer = RawHttp.exchange(instance.port(), "POST", target, headers, body,
                limit == Limit.BODY_IN_CHUNKS);
        String what = limit + " +" + margin + " at " + path + " answered " + answer;
        Statistics.label("answers").collect(limit + " " + answer.status());
        assertEquals(limit.status, answer.status(), what);
        String type = answer.contentType() == null ? "" : answer.contentType();
        if (path.startsWith("/users") || path.startsWith("/account") || path.startsWith("/oauth/authorize")) {
            assertTrue(type.startsWith("text/html") && answer.body().contains(">" + limit.status + "<"), what);
        } else if (path.startsWith("/oauth/")) {
            assertTrue(type.startsWith("application/json") && answer.body().contains("\"invalid_request\""), what);
        } else {
            assertTrue(type.startsWith("application/problem+json")
                    && answer.body().contains("\"status\":" + limit.status), what);
        }
    }

    @Provide
    Arbitrary<String> limitedPaths() {
        return Arbitraries.of("/oauth/token", "/oauth/revoke", "/oauth/introspect", "/oauth/authorize",
                "/api/v1/users", "/api/v1/spaces", "/api/v1/oauth/applications", "/users/sign_in", "/users/sign_up",
                "/account/password", "/q/health/live", "/.well-known/jwks.json");
    }

    /** Just over the limit up to well over it, but under Vert.x's own limits (twice ours), where it answers bare. */
    @Provide
    Arbitrary<Integer> margins() {
        return Arbitraries.oneOf(Arbitraries.integers().between(1, 16), Arbitraries.integers().between(17, 8000));
    }

    private static void assertRfcError(Request request, Answer answer) {
        String what = request + " answered " + answer;
        boolean namesPublicClient = new String(request.body(), StandardCharsets.UTF_8)
                .contains(publicApp.clientId());
        if (answer.status() == 200 && request.path().equals("/oauth/revoke") && namesPublicClient) {
            assertEquals("{}", answer.body().strip(), what);
            return;
        }
        assertTrue(answer.status() >= 400 && answer.status() < 500, what);
        assertTrue(answer.contentType() != null && answer.contentType().startsWith("application/json"), what);
        JsonNode json;
        try {
            json = JSON.readTree(answer.body());
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + what, e);
        }
        assertTrue(RFC_ERRORS.contains(json.path("error").asText()), what);
        assertTrue(!answer.body().contains("Exception") && !answer.body().contains("\tat "), what);
    }

    // --- Generators

    @Provide
    Arbitrary<String> endpoints() {
        return Arbitraries.of(ENDPOINTS);
    }

    @Provide
    Arbitrary<String> contentTypes() {
        return Arbitraries.oneOf(
                Arbitraries.of("application/x-www-form-urlencoded", "application/x-www-form-urlencoded; charset=UTF-8",
                        "application/json", "application/json; charset=utf-16", "text/plain", "application/xml",
                        "application/octet-stream", "multipart/form-data; boundary=xyz", "*/*", ""),
                printable(60),
                Arbitraries.<String>just(null));
    }

    @Provide
    Arbitrary<byte[]> bytes() {
        return Arbitraries.bytes().array(byte[].class).ofMaxSize(4096);
    }

    /** Half anything at all, half requests that pass parsing and client authentication and reach the grants. */
    @Provide
    Arbitrary<Request> requests() {
        Arbitrary<List<Tuple.Tuple2<String, Object>>> parameters = Combinators.combine(names(), values())
                .as(Tuple::of)
                .list().ofMaxSize(10);
        Arbitrary<Request> anything = Combinators.combine(endpoints(), parameters, Arbitraries.of(Encoding.values()),
                contentTypes(), authorizations())
                .as((path, params, encoding, garbageType, authorization) -> {
                    byte[] body = encoding.encode(params);
                    String type = encoding == Encoding.GARBAGE_TYPE ? garbageType : encoding.contentType;
                    return new Request(path, type, authorization, body, encoding + " " + params);
                });
        return Arbitraries.oneOf(anything, plausibleRequests());
    }

    private Arbitrary<Request> plausibleRequests() {
        Arbitrary<String> grants = Arbitraries.of("password", "refresh_token", "client_credentials",
                "authorization_code");
        Arbitrary<Map<String, Object>> rest = Arbitraries.maps(
                Arbitraries.of(NAMES).filter(name -> !name.equals("grant_type") && !name.equals("client_id")),
                mildValues()).ofMaxSize(5);
        return Combinators.combine(endpoints(), grants, rest, Arbitraries.of(Encoding.FORM, Encoding.JSON_OBJECT))
                .as((path, grant, params, encoding) -> {
                    List<Tuple.Tuple2<String, Object>> all = new ArrayList<>();
                    all.add(Tuple.of("grant_type", grant));
                    all.add(Tuple.of("client_id", publicApp.clientId()));
                    params.forEach((name, value) -> all.add(Tuple.of(name, value)));
                    return new Request(path, encoding.contentType, null, encoding.encode(all),
                            "plausible " + encoding + " " + all);
                });
    }

    /** Values without control characters: wrong, but not refused by parsing. */
    private static Arbitrary<Object> mildValues() {
        return Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.of("public", "public read_items", "admin", "read_items write_items",
                        "http://localhost:9999/callback", "x".repeat(43), "access_token", "refresh_token")),
                Tuple.of(4, Arbitraries.of("app", "public app", "refresh", "access", "email")
                        .map(RandomRequestsIT::realValue)),
                Tuple.of(2, Arbitraries.strings().alpha().numeric().withChars('-', '_', '.', '@').ofMaxLength(60)),
                Tuple.of(1, Arbitraries.strings().withCharRange('\u00a0', '\ud7ff').ofMaxLength(30)))
                .map(Object.class::cast);
    }

    private static Arbitrary<String> names() {
        return Arbitraries.frequencyOf(
                Tuple.of(8, Arbitraries.of(NAMES)),
                Tuple.of(1, Arbitraries.of(NAMES).map(name -> name.toUpperCase(Locale.ROOT))),
                Tuple.of(1, Arbitraries.strings().ofMaxLength(20)),
                Tuple.of(1, Arbitraries.strings().all().ofMaxLength(10)));
    }

    private static Arbitrary<Object> values() {
        Arbitrary<String> known = Arbitraries.of("password", "refresh_token", "client_credentials",
                "authorization_code", "urn:ietf:params:oauth:grant-type:device_code", "access_token", "public",
                "public read_items", "admin", "http://localhost:9999/callback", "nobody@example.com");
        Arbitrary<String> real = Arbitraries.of("app", "public app", "refresh", "access", "email")
                .map(RandomRequestsIT::realValue);
        return Arbitraries.frequencyOf(
                Tuple.of(6, known.map(Object.class::cast)),
                Tuple.of(4, real.map(Object.class::cast)),
                Tuple.of(3, Arbitraries.strings().ofMaxLength(40).map(Object.class::cast)),
                Tuple.of(2, Arbitraries.strings().all().ofMaxLength(40).map(Object.class::cast)),
                Tuple.of(2, Arbitraries.strings().withCharRange('\u0000', '\u001f').withChars('\u007f', '\u2028')
                        .ofMinLength(1).ofMaxLength(5)
                        .map(control -> "abc" + control + "def").map(Object.class::cast)),
                Tuple.of(1, Arbitraries.strings().withChars('a', 'Z', '%', '=', '&').ofMinLength(1_000)
                        .ofMaxLength(70_000).map(Object.class::cast)),
                Tuple.of(1, Arbitraries.just("")),
                Tuple.of(1, Arbitraries.oneOf(Arbitraries.integers().map(Object.class::cast),
                        Arbitraries.just(true), Arbitraries.just(List.of("password")),
                        Arbitraries.just(Map.of("a", "b")))));
    }

    /** A value from the real fixtures (never the client secret or the password: no request may be granted). */
    private static String realValue(String which) {
        return switch (which) {
            case "app" -> app.clientId();
            case "public app" -> publicApp.clientId();
            case "refresh" -> tokens.refreshToken();
            case "access" -> tokens.accessToken();
            default -> user.email();
        };
    }

    private static Arbitrary<String> authorizations() {
        Arbitrary<String> basicOfRandom = Arbitraries.strings().all().ofMaxLength(60)
                .map(pair -> "Basic " + base64(pair));
        Arbitrary<String> basicWithWrongSecret = Arbitraries.strings().alpha().ofMaxLength(30)
                .map(secret -> "Basic " + base64(app.clientId() + ":" + secret));
        return Arbitraries.frequencyOf(
                Tuple.of(5, Arbitraries.<String>just(null)),
                Tuple.of(2, basicOfRandom),
                Tuple.of(2, basicWithWrongSecret),
                Tuple.of(1, printable(80).map(garbage -> "Basic " + garbage)),
                Tuple.of(1, printable(80).map(garbage -> "Bearer " + garbage)),
                Tuple.of(1, Arbitraries.just("Bearer ").map(bearer -> bearer + tokens.accessToken())),
                Tuple.of(1, printable(200)));
    }

    /** Visible ASCII and spaces: what a header value may hold without the HTTP layer refusing the request itself. */
    private static Arbitrary<String> printable(int maxLength) {
        return Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(maxLength);
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    /** How a list of (possibly repeated) parameters becomes a body. */
    enum Encoding {
        FORM("application/x-www-form-urlencoded"),
        FORM_UNESCAPED("application/x-www-form-urlencoded"),
        JSON_OBJECT("application/json"),
        JSON_WITH_DUPLICATES("application/json"),
        GARBAGE_TYPE(null);

        final String contentType;

        Encoding(String contentType) {
            this.contentType = contentType;
        }

        byte[] encode(List<Tuple.Tuple2<String, Object>> parameters) {
            return switch (this) {
                case FORM, GARBAGE_TYPE -> join(parameters, true).getBytes(StandardCharsets.UTF_8);
                case FORM_UNESCAPED -> join(parameters, false).getBytes(StandardCharsets.UTF_8);
                case JSON_OBJECT -> jsonObject(parameters);
                case JSON_WITH_DUPLICATES -> jsonWithDuplicates(parameters);
            };
        }

        private static String join(List<Tuple.Tuple2<String, Object>> parameters, boolean escape) {
            List<String> pairs = new ArrayList<>();
            for (Tuple.Tuple2<String, Object> parameter : parameters) {
                String value = String.valueOf(parameter.get2());
                pairs.add(escape
                        ? URLEncoder.encode(parameter.get1(), StandardCharsets.UTF_8) + "="
                                + URLEncoder.encode(value, StandardCharsets.UTF_8)
                        : parameter.get1() + "=" + value);
            }
            return String.join("&", pairs);
        }

        private static byte[] jsonObject(List<Tuple.Tuple2<String, Object>> parameters) {
            Map<String, Object> object = new LinkedHashMap<>();
            parameters.forEach(parameter -> object.put(parameter.get1(), parameter.get2()));
            try {
                return JSON.writeValueAsBytes(object);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        private static byte[] jsonWithDuplicates(List<Tuple.Tuple2<String, Object>> parameters) {
            List<String> members = new ArrayList<>();
            for (Tuple.Tuple2<String, Object> parameter : parameters) {
                ObjectNode one = JSON.createObjectNode();
                one.putPOJO(parameter.get1(), parameter.get2());
                String text = one.toString();
                members.add(text.substring(1, text.length() - 1));
            }
            if (!parameters.isEmpty()) {
                members.add(members.get(0));
            }
            return ("{" + String.join(",", members) + "}").getBytes(StandardCharsets.UTF_8);
        }
    }

    // --- One raw HTTP/1.1 exchange per request.

    private static Answer send(Request request) {
        RawHttp raw = RawHttp.request("POST", request.path());
        if (request.authorization() != null) {
            raw.header("Authorization", request.authorization());
        }
        RawHttp.Answer answer = raw.body(request.contentType(), request.body()).send(instance.port());
        return new Answer(answer.status(), answer.header("Content-Type"), answer.body());
    }
}
