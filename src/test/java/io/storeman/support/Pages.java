package io.storeman.support;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.storeman.support.Fixtures.Account;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The account pages driven over plain HTTP, as a browser would: cookies carried by hand, CSRF tokens read off the
 * HTML, redirects not followed (so tests see the 303 and its cookies).
 */
public final class Pages {

    public static final String SESSION_COOKIE = "storeman_session";
    public static final String PRE_SESSION_COOKIE = "storeman_csrf";
    private static final Pattern FORM_TOKEN = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");
    private static final Pattern ONCE_TOKEN = Pattern.compile("name=\"_once\" value=\"([^\"]+)\"");
    private static final Pattern META_TOKEN = Pattern.compile("<meta name=\"csrf-token\" content=\"([^\"]+)\"");

    private Pages() {
    }

    /** A signed-in browser: its session cookie and the CSRF token of its forms. */
    public record Browser(String sessionCookie, String csrf) {

        /** A request carrying this browser's session cookie. */
        public RequestSpecification request() {
            return given().redirects().follow(false).cookie(SESSION_COOKIE, sessionCookie);
        }
    }

    /** A browser on the sign-in (or sign-up) page: its pre-session cookie and the form's CSRF token. */
    public record Visitor(String preSessionCookie, String csrf) {

        public RequestSpecification request() {
            return given().redirects().follow(false).cookie(PRE_SESSION_COOKIE, preSessionCookie);
        }

        /** Posts the sign-in form with {@code account}'s e-mail and password; {@code next} may be null. */
        public Response signIn(Account account, String next) {
            RequestSpecification form = request()
                    .formParam("_csrf", csrf)
                    .formParam("email", account.email())
                    .formParam("password", account.password());
            if (next != null) {
                form.formParam("next", next);
            }
            return form.post("/users/sign_in");
        }
    }

    public static Visitor visit(String path) {
        Response page = given().redirects().follow(false).get(path);
        page.then().statusCode(200);
        String cookie = page.getCookie(PRE_SESSION_COOKIE);
        assertNotNull(cookie, "the form sets a pre-session cookie");
        return new Visitor(cookie, formToken(page.asString()));
    }

    /** Signs in through the sign-in form. */
    public static Browser signIn(Account account) {
        Response signedIn = visit("/users/sign_in").signIn(account, null);
        signedIn.then().statusCode(303);
        String session = signedIn.getCookie(SESSION_COOKIE);
        assertNotNull(session, "sign-in sets the session cookie");
        String accountPage = given().redirects().follow(false).cookie(SESSION_COOKIE, session)
                .get("/account").then().statusCode(200).extract().asString();
        return new Browser(session, metaToken(accountPage));
    }

    public static String formToken(String html) {
        Matcher matcher = FORM_TOKEN.matcher(html);
        if (!matcher.find()) {
            throw new AssertionError("no CSRF field in the page");
        }
        return matcher.group(1);
    }

    /** The one-time token of the (first) form in the page, which makes a replay of its post harmless. */
    public static String onceToken(String html) {
        Matcher matcher = ONCE_TOKEN.matcher(html);
        if (!matcher.find()) {
            throw new AssertionError("no one-time form token in the page");
        }
        return matcher.group(1);
    }

    public static String metaToken(String html) {
        Matcher matcher = META_TOKEN.matcher(html);
        if (!matcher.find()) {
            throw new AssertionError("no csrf-token meta tag in the page");
        }
        return matcher.group(1);
    }

    /** The text of the element with this id, e.g. the Client ID on an application's page. */
    public static String textOf(String html, String id) {
        Matcher matcher = Pattern.compile("id=\"" + Pattern.quote(id) + "\"[^>]*>([^<]*)<").matcher(html);
        if (!matcher.find()) {
            throw new AssertionError("no element #" + id + " in the page");
        }
        return matcher.group(1).trim();
    }
}
