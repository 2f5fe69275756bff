package io.storeman.http;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import org.junit.jupiter.api.Test;

/**
 * docs/security.md E1..E5: the format of a failure follows the resource's {@code @ErrorFormat}, never its path. The
 * probes declare a format their path does not suggest: OAuth JSON outside {@code /oauth}, problem documents under
 * {@code /oauth}, HTML pages under {@code /api}. Each answer carries the headers of its format, and none the failure's
 * text, class or stack trace.
 */
@QuarkusTest
class ErrorResponsesTest {

    private static final String OAUTH = "/error-test/oauth/";
    private static final String PROBLEM = "/oauth/error-test/problem/";
    private static final String PAGE = "/api/error-test/page/";

    private static ValidatableResponse get(String path) {
        return given().redirects().follow(false).header("Accept", "application/json").get(path).then();
    }

    private static ValidatableResponse leaksNothing(ValidatableResponse response) {
        return response.body(not(containsString(ErrorProbe.SECRET)))
                .body(not(containsString("Exception")))
                .body(not(containsString("io.storeman")))
                .body(not(containsString("\tat ")));
    }

    // --- OAUTH declared outside /oauth

    @Test
    void faultWhenOAuthDeclaredOffTheOAuthPathThenServerErrorNeverCached() {
        leaksNothing(get(OAUTH + "fault").statusCode(500)
                .contentType(startsWith("application/json"))
                .header("Cache-Control", "no-store")
                .header("Pragma", "no-cache")
                .body("error", equalTo("server_error")));
    }

    @Test
    void outageWhenOAuthDeclaredThenTemporarilyUnavailableWithRetryAfter() {
        leaksNothing(get(OAUTH + "outage").statusCode(503)
                .header("Retry-After", "5")
                .header("Cache-Control", "no-store")
                .header("Pragma", "no-cache")
                .body("error", equalTo("temporarily_unavailable")));
    }

    @Test
    void clientErrorsWhenOAuthDeclaredThenInvalidRequestWithPragma() {
        leaksNothing(get(OAUTH + "missing").statusCode(404)
                .header("Pragma", "no-cache")
                .header("Cache-Control", "no-store")
                .body("error", equalTo("invalid_request")));
        leaksNothing(given().contentType("application/json").body("{\"name\":").post(OAUTH + "json").then()
                .statusCode(400)
                .header("Pragma", "no-cache")
                .body("error", equalTo("invalid_request")));
    }

    @Test
    void oauthExceptionWhenOAuthDeclaredThenItsCodeWithNoStoreAndPragma() {
        get(OAUTH + "oauth-error").statusCode(400)
                .header("Cache-Control", "no-store")
                .header("Pragma", "no-cache")
                .header("WWW-Authenticate", nullValue())
                .body("error", equalTo("invalid_grant"));
    }

    // --- PROBLEM declared under /oauth

    @Test
    void faultWhenProblemDeclaredUnderTheOAuthPathThenProblemDocument() {
        leaksNothing(get(PROBLEM + "fault").statusCode(500)
                .contentType(startsWith("application/problem+json"))
                .body("status", equalTo(500))
                .body("error", nullValue()));
    }

    @Test
    void outageWhenProblemDeclaredThen503ProblemWithRetryAfter() {
        leaksNothing(get(PROBLEM + "outage").statusCode(503)
                .contentType(startsWith("application/problem+json"))
                .header("Retry-After", "5")
                .body("title", equalTo("Service Unavailable")));
    }

    @Test
    void clientErrorsWhenProblemDeclaredThenProblemDocuments() {
        leaksNothing(get(PROBLEM + "missing").statusCode(404)
                .contentType(startsWith("application/problem+json"))
                .body("title", equalTo("Not Found")));
        leaksNothing(given().contentType("application/json").body("{\"name\":").post(PROBLEM + "json").then()
                .statusCode(400)
                .contentType(startsWith("application/problem+json"))
                .body("title", equalTo("Bad Request")));
    }

    // --- PAGE declared under /api

    @Test
    void faultWhenPageDeclaredUnderTheApiPathThenHtmlPage() {
        leaksNothing(get(PAGE + "fault").statusCode(500)
                .contentType(startsWith("text/html"))
                .header("Cache-Control", "no-store")
                .body(containsString("Something went wrong")));
    }

    @Test
    void outageWhenPageDeclaredThen503PageWithRetryAfter() {
        leaksNothing(get(PAGE + "outage").statusCode(503)
                .contentType(startsWith("text/html"))
                .header("Retry-After", "5")
                .header("Cache-Control", "no-store")
                .body(containsString("Temporarily unavailable")));
    }

    @Test
    void missingWhenPageDeclaredThen404Page() {
        leaksNothing(get(PAGE + "missing").statusCode(404)
                .contentType(startsWith("text/html"))
                .body(containsString("<h1>Not found</h1>")));
    }

    // --- E5: 503 only for what means an outage

    @Test
    void timeoutInAMessageOrAnIoErrorWhenThrownThen500Not503() {
        for (String format : new String[] {OAUTH, PROBLEM, PAGE}) {
            leaksNothing(get(format + "timeout-message").statusCode(500).header("Retry-After", nullValue()));
            leaksNothing(get(format + "io").statusCode(500).header("Retry-After", nullValue()));
        }
    }

    // --- No resource took the request: the path and the client decide, as before

    @Test
    void unmatchedWhenNoResourceThenFormatByPathAndClient() {
        get("/oauth/error-test/nowhere").statusCode(404)
                .contentType(startsWith("application/json"))
                .header("Pragma", "no-cache")
                .body("error", equalTo("invalid_request"));
        get("/error-test/nowhere").statusCode(404)
                .contentType(startsWith("application/problem+json"));
        given().header("Accept", "text/html").get("/error-test/nowhere").then().statusCode(404)
                .contentType(startsWith("text/html"))
                .body(containsString("<h1>Not found</h1>"));
        given().header("Accept", "text/html").get("/api/error-test/nowhere").then().statusCode(404)
                .contentType(startsWith("application/problem+json"));
    }
}
