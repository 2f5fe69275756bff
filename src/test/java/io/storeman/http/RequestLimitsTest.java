package io.storeman.http;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.storeman.support.Fixtures;
import io.storeman.support.Fixtures.Account;
import io.storeman.support.Fixtures.App;
import io.storeman.support.Pages;
import io.storeman.support.Pages.Visitor;
import io.storeman.support.RawHttp;
import io.storeman.support.RawHttp.Answer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Requests over a limit (body 1 MiB, URL 8 KiB, headers 16 KiB) or that cannot be decoded, at an OAuth endpoint, an
 * API endpoint and a web page: each is answered with its status in that endpoint's error format (RFC 6749 JSON,
 * problem+json, an HTML page), carrying the usual headers, never an empty body.
 */
@QuarkusTest
class RequestLimitsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MIB = 1024 * 1024;

    @TestHTTPResource("/")
    URL root;

    private Answer send(String method, String target, Map<String, String> headers, byte[] body, boolean chunked) {
        return RawHttp.exchange(root.getPort(), method, target, headers, body, chunked);
    }

    private static byte[] filler(int bytes) {
        byte[] body = new byte[bytes];
        Arrays.fill(body, (byte) 'a');
        return body;
    }

    /** The answer is in the format of the endpoint at {@code path}, with {@code status} in it. */
    private static void assertInFormat(String path, int status, Answer answer) {
        String what = path + " answered " + answer;
        assertEquals(status, answer.status(), what);
        assertNotNull(answer.headers().get("x-request-id"), what);
        assertEquals("nosniff", answer.headers().get("x-content-type-options"), what);
        assertEquals("no-store", answer.headers().get("cache-control"), what);
        assertFalse(answer.body().contains("Exception"), what);
        if (path.startsWith("/users") || path.startsWith("/oauth/logout")) {
            assertTrue(answer.contentType().startsWith("text/html"), what);
            assertTrue(answer.body().contains("<p class=\"status\">" + status + "</p>"), what);
            assertTrue(answer.headers().get("content-security-policy").contains("frame-ancestors"), what);
            return;
        }
        JsonNode body = json(answer.body());
        if (path.startsWith("/oauth/")) {
            assertTrue(answer.contentType().startsWith("application/json"), what);
            assertEquals("invalid_request", body.path("error").asText(), what);
            assertFalse(body.path("error_description").asText().isEmpty(), what);
        } else {
            assertTrue(answer.contentType().startsWith("application/problem+json"), what);
            assertEquals(status, body.path("status").asInt(), what);
            assertFalse(body.path("title").asText().isEmpty(), what);
        }
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @ParameterizedTest
    @CsvSource({"/oauth/token, false", "/api/v1/users, false", "/users/sign_in, false",
        "/oauth/token, true", "/api/v1/users, true", "/users/sign_in, true"})
    void bodyWhenOverOneMibDeclaredOrInChunksThen413InTheEndpointsFormat(String path, boolean chunked) {
        Answer answer = send("POST", path, Map.of("Content-Type", "application/x-www-form-urlencoded"),
                filler(MIB + 1), chunked);
        assertInFormat(path, 413, answer);
        assertEquals("close", answer.headers().get("connection"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/oauth/token", "/api/v1/users", "/users/sign_in", "/oauth/logout"})
    void urlWhenTenKibThen414InTheEndpointsFormat(String path) {
        assertInFormat(path, 414, send("GET", path + "?pad=" + "a".repeat(10 * 1024), Map.of(), null, false));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/oauth/token", "/api/v1/users", "/users/sign_in"})
    void headersWhenTwentyKibThen431InTheEndpointsFormat(String path) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 0; i < 20; i++) {
            headers.put("X-Pad-" + i, "h".repeat(1024));
        }
        assertInFormat(path, 431, send("GET", path, headers, null, false));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/oauth/token?x=%zz", "/api/v1/users?x=%zz", "/users/sign_in?next=%zz",
        "/api/v1/spaces/%zz", "/account/oauth/applications/%"})
    void urlWhenNotAValidUriThenQuarkusAnswers400BeforeAnyRoute(String target) {
        // Quarkus checks the URI before the router and answers without a body; no hook reaches it.
        assertEquals(400, send("GET", target, Map.of(), null, false).status());
        given().get("/q/health/live").then().statusCode(200);
    }

    @ParameterizedTest
    @ValueSource(strings = {"email=%zz&password=x", "email=a%C3%28b%40example.com&password=x", "email=%"})
    void pageFormWhenItCannotBeDecodedThen400Page(String form) {
        Visitor visitor = Pages.visit("/users/sign_in");
        String body = "_csrf=" + visitor.csrf() + "&" + form;
        Answer answer = send("POST", "/users/sign_in", Map.of("Content-Type", "application/x-www-form-urlencoded",
                "Cookie", Pages.PRE_SESSION_COOKIE + "=" + visitor.preSessionCookie()),
                body.getBytes(StandardCharsets.US_ASCII), false);
        assertInFormat("/users/sign_in", 400, answer);
    }

    @Test
    void urlWhenBeyondTwiceTheLimitThenVertxAnswers414WithoutABody() {
        // Vert.x refuses such a request line before any route runs, and Quarkus offers no hook there (L5).
        Answer answer = send("GET", "/oauth/token?pad=" + "a".repeat(40 * 1024), Map.of(), null, false);
        assertEquals(414, answer.status());
        given().get("/q/health/live").then().statusCode(200);
    }

    @Test
    void tokenWhenBodySentInChunksThenReadWhole() {
        Account owner = Fixtures.newUser();
        App app = Fixtures.newApp(owner, "public");
        String form = "grant_type=client_credentials&client_id=" + app.clientId() + "&client_secret="
                + app.clientSecret();
        Answer answer = send("POST", "/oauth/token", Map.of("Content-Type", "application/x-www-form-urlencoded"),
                form.getBytes(StandardCharsets.US_ASCII), true);
        assertEquals(200, answer.status(), answer.toString());
        assertFalse(json(answer.body()).path("access_token").asText().isEmpty());
    }

    @Test
    void registerWhenBodySentInChunksThenReadWhole() {
        String email = "chunked-" + UUID.randomUUID() + "@example.com";
        String body = "{\"email\":\"" + email + "\",\"password\":\"long enough password\"}";
        Answer answer = send("POST", "/api/v1/users", Map.of("Content-Type", "application/json"),
                body.getBytes(StandardCharsets.UTF_8), true);
        assertEquals(201, answer.status(), answer.toString());
        assertEquals(email, json(answer.body()).path("email").asText());
    }

    @Test
    void signInWhenFormSentInChunksThenSignedIn() {
        Account user = Fixtures.newUser();
        Visitor visitor = Pages.visit("/users/sign_in");
        String form = "_csrf=" + visitor.csrf() + "&email=" + user.email().replace("@", "%40") + "&password="
                + user.password().replace(' ', '+');
        Answer answer = send("POST", "/users/sign_in", Map.of("Content-Type", "application/x-www-form-urlencoded",
                "Cookie", Pages.PRE_SESSION_COOKIE + "=" + visitor.preSessionCookie()),
                form.getBytes(StandardCharsets.US_ASCII), true);
        assertEquals(303, answer.status(), answer.toString());
        assertTrue(answer.headers().get("location").endsWith("/account"), answer.toString());
    }

    @Test
    void refusalWhenRepeatedThenTheSameAnswerEachTimeAndStillHealthy() {
        for (int i = 0; i < 3; i++) {
            assertInFormat("/oauth/token", 413, send("POST", "/oauth/token",
                    Map.of("Content-Type", "application/json"), filler(MIB + 1), true));
            assertInFormat("/api/v1/users", 414, send("GET", "/api/v1/users?pad=" + "a".repeat(10 * 1024),
                    Map.of(), null, false));
        }
        given().get("/q/health/live").then().statusCode(200);
        given().get("/q/health/ready").then().statusCode(200);
    }

    @Test
    void chunkedBodyWhenClientExpectsContinueThenReadWhole() {
        String body = "{\"email\":\"continue-" + UUID.randomUUID() + "@example.com\",\"password\":\"long enough"
                + " password\"}";
        Answer answer = send("POST", "/api/v1/users", Map.of("Content-Type", "application/json",
                "Expect", "100-continue"), body.getBytes(StandardCharsets.UTF_8), true);
        assertEquals(201, answer.status(), answer.toString());
    }

    /**
     * An HTTP/2 client, asking to upgrade (as Java's HttpClient does on its first GET) or speaking it from the first
     * byte, gets HTTP/1.1 or a closed connection, never a 500 or a hang (L9): over HTTP/2 every GET of the API
     * failed and an unbounded body stalled the stream.
     */
    @Test
    void http2WhenAskedForThenServedOverHttp11() throws Exception {
        Fixtures.Tokens tokens = Fixtures.userWithAllScopes();
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2)
                .connectTimeout(Duration.ofSeconds(5)).build();
        HttpResponse<String> me = client.send(HttpRequest.newBuilder(root.toURI().resolve("/api/v1/me"))
                .header("Authorization", "Bearer " + tokens.accessToken()).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, me.statusCode(), me.body());
        assertEquals(HttpClient.Version.HTTP_1_1, me.version());

        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), root.getPort())) {
            socket.setSoTimeout(5000);
            socket.getOutputStream().write("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            assertTrue(answer.isEmpty() || answer.matches("(?s)HTTP/[12]\\.[01] 4\\d\\d .*"), answer);
        }
        given().get("/q/health/live").then().statusCode(200);
    }
}
