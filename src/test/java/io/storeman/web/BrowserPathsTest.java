package io.storeman.web;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.storeman.support.Fixtures;
import io.storeman.support.Pages;
import io.storeman.support.Pages.Browser;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What a browser meets off the pages' own paths: {@code /}, a mistyped address, a method a page does not take,
 * the favicon. A browser (Accept names text/html) gets pages in the site's frame; an API client, and any request to
 * the API and OAuth paths, keeps the contract's JSON answers, byte for byte.
 */
@QuarkusTest
class BrowserPathsTest {

    /** What Chromium sends when it navigates. */
    private static final String BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,"
            + "image/avif,image/webp,image/apng,*/*;q=0.8";
    private static final String NOT_FOUND_PROBLEM =
            "{\"type\":\"about:blank\",\"title\":\"Not Found\",\"status\":404,\"detail\":\"Not Found.\"}";
    private static final String NOT_ALLOWED_PROBLEM = "{\"type\":\"about:blank\",\"title\":\"Method Not Allowed\","
            + "\"status\":405,\"detail\":\"Method Not Allowed.\"}";

    private static RequestSpecification browser() {
        return given().redirects().follow(false).header("Accept", BROWSER_ACCEPT);
    }

    // --- The bare address

    @Test
    void rootWhenNotSignedInThen303ToSignIn() {
        browser().get("/").then().statusCode(303)
                .header("Location", endsWith("/users/sign_in"))
                .header("Cache-Control", "no-store");
        given().redirects().follow(false).header("Accept", "application/json").get("/").then().statusCode(303)
                .header("Location", endsWith("/users/sign_in"));
    }

    @Test
    void rootWhenSignedInThen303ToTheAccountPage() {
        Browser signedIn = Pages.signIn(Fixtures.newUser());
        signedIn.request().header("Accept", BROWSER_ACCEPT).get("/").then().statusCode(303)
                .header("Location", endsWith("/account"))
                .header("Cache-Control", "no-store");
    }

    // --- Pages for browsers

    @Test
    void unknownPathWhenBrowserThen404PageInTheSiteFrame() {
        for (String path : List.of("/account/nope", "/users/nope", "/nope", "/account/oauth/nope/deeper")) {
            Response response = browser().get(path);
            response.then().statusCode(404)
                    .contentType(startsWith("text/html"))
                    .header("Cache-Control", "no-store")
                    .header("X-Content-Type-Options", "nosniff")
                    .body(containsString("<h1>Not found</h1>"))
                    .body(containsString("<link rel=\"stylesheet\" href=\"/assets/storeman.css\">"))
                    .body(containsString("href=\"/users/sign_in\">Sign in</a>"))
                    .body(not(containsString("Exception")));
            assertEquals(List.of(WebHeaders.POLICY), response.headers().getValues("Content-Security-Policy"), path);
        }
    }

    @Test
    void unknownPathWhenSignedInBrowserThen404PageWithTheAccountMenu() {
        Browser signedIn = Pages.signIn(Fixtures.newUser());
        signedIn.request().header("Accept", BROWSER_ACCEPT).get("/account/nope").then().statusCode(404)
                .contentType(startsWith("text/html"))
                .body(containsString("<h1>Not found</h1>"))
                .body(containsString("href=\"/account/authorized_applications\""))
                .body(containsString(">Go to your account</a>"));
    }

    @Test
    void wrongMethodWhenBrowserThen405Page() {
        Browser signedIn = Pages.signIn(Fixtures.newUser());
        Response response = signedIn.request().header("Accept", BROWSER_ACCEPT).get("/account/password");
        response.then().statusCode(405)
                .contentType(startsWith("text/html"))
                .header("Cache-Control", "no-store")
                .body(containsString("<p class=\"status\">405</p>"))
                .body(containsString("<h1>Not available this way</h1>"))
                .body(containsString("href=\"/account/oauth/applications\""));
        assertEquals(List.of(WebHeaders.POLICY), response.headers().getValues("Content-Security-Policy"));
        browser().put("/users/sign_in").then().statusCode(405).contentType(startsWith("text/html"));
    }

    // --- The contract's JSON, unchanged

    @Test
    void unknownPathWhenApiClientThenTheSameProblemAsBefore() {
        for (String accept : new String[] {"application/json", "*/*", null}) {
            for (String path : List.of("/nope", "/account/nope", "/users/nope")) {
                var request = given().redirects().follow(false);
                if (accept != null) {
                    request.header("Accept", accept);
                }
                request.get(path).then().statusCode(404)
                        .contentType("application/problem+json")
                        .body(equalTo(NOT_FOUND_PROBLEM));
            }
        }
        given().header("Accept", "application/json").put("/users/sign_in").then().statusCode(405)
                .contentType("application/problem+json")
                .body(equalTo(NOT_ALLOWED_PROBLEM));
    }

    @Test
    void apiAndOAuthPathsWhenBrowserAcceptThenStillJson() {
        browser().get("/api/v1/nope").then().statusCode(404)
                .contentType("application/problem+json").body(equalTo(NOT_FOUND_PROBLEM));
        browser().get("/.well-known/nope").then().statusCode(404)
                .contentType("application/problem+json").body(equalTo(NOT_FOUND_PROBLEM));
        browser().delete("/api/v1/me").then().statusCode(405)
                .contentType("application/problem+json").body(equalTo(NOT_ALLOWED_PROBLEM));
        browser().get("/oauth/nope").then().statusCode(404)
                .contentType("application/json")
                .body(equalTo("{\"error\":\"invalid_request\",\"error_description\":\"Not Found.\"}"));
        browser().get("/oauth/token").then().statusCode(405)
                .contentType("application/json")
                .body(equalTo("{\"error\":\"invalid_request\",\"error_description\":\"Method Not Allowed.\"}"));
    }

    // --- The favicon

    @Test
    void faviconWhenRequestedThenAnIconOfThisServerWithCaching() {
        Response ico = browser().get("/favicon.ico");
        ico.then().statusCode(200)
                .contentType(startsWith("image/x-icon"))
                .header("Cache-Control", containsString("max-age="));
        assertArrayEquals(new byte[] {0, 0, 1, 0}, java.util.Arrays.copyOf(ico.asByteArray(), 4), "an ICO file");
        Response svg = browser().get("/favicon.svg");
        svg.then().statusCode(200)
                .contentType(startsWith("image/svg+xml"))
                .header("Cache-Control", containsString("max-age="))
                .body(startsWith("<svg xmlns=\"http://www.w3.org/2000/svg\""))
                .body(not(containsString("<script")));
    }

    @Test
    void pagesWhenRenderedThenTheyNameTheIconsTheirPolicyAllows() {
        Response page = browser().get("/users/sign_in");
        String html = page.asString();
        assertTrue(html.contains("<link rel=\"icon\" href=\"/favicon.ico\""), html);
        assertTrue(html.contains("<link rel=\"icon\" href=\"/favicon.svg\" type=\"image/svg+xml\">"), html);
        // Same-origin images are what img-src allows; no data: placeholder any more.
        assertTrue(page.header("Content-Security-Policy").contains("img-src 'self'"));
        assertTrue(!html.contains("href=\"data:"), html);
    }
}
