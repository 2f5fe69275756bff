package io.storeman.oidc;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.restassured.RestAssured;
import io.restassured.config.EncoderConfig;
import io.restassured.http.Cookie;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.storeman.support.Fixtures.Account;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A browser over plain HTTP for the OpenID Connect checks: it keeps its cookies as a browser does, follows this
 * server's redirects, signs {@code user} in whenever the sign-in page asks and presses "Authorize" on the consent
 * page, until the server sends it away to another origin (the client's redirect URI) or stops at a page. It counts
 * the sign-ins it was asked for, which is how the checks see {@code prompt=login} and {@code max_age} at work.
 */
public final class OidcBrowser {

    private static final int MAX_STEPS = 12;
    private static final Pattern HIDDEN = Pattern.compile(
            "<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]*)\">");
    private static final Pattern EMAIL_VALUE = Pattern.compile("<input id=\"email\" name=\"email\"[^>]* value=\"([^\"]*)\"");
    private static final String SIGN_IN_FORM = "<form method=\"post\" action=\"/users/sign_in\"";
    private static final String CONSENT_FORM = "<form method=\"post\" action=\"/oauth/authorize\">";

    /** Where a visit ended: sent away to {@code redirect}, or stopped at a page of this server. */
    public record Outcome(URI redirect, int status, String page) {

        /** The redirect away from this server; the test fails if the visit ended at a page. */
        public URI redirect() {
            if (redirect == null) {
                throw new AssertionError("the browser stayed on a page (" + status + "): " + page);
            }
            return redirect;
        }

        public boolean redirected() {
            return redirect != null;
        }
    }

    private final Account user;
    private final Map<String, String> cookies = new LinkedHashMap<>();
    private boolean authorize = true;
    private int signIns;
    private String prefilledEmail;

    public OidcBrowser(Account user) {
        this.user = user;
    }

    /** A browser that has signed {@code user} in already. */
    public static OidcBrowser signedIn(Account user) {
        OidcBrowser browser = new OidcBrowser(user);
        browser.visit("/users/sign_in");
        return browser;
    }

    /** Whether the browser presses "Authorize" when it meets the consent page (the default) or stops there. */
    public OidcBrowser authorizing(boolean press) {
        this.authorize = press;
        return this;
    }

    /** How many times the sign-in page made this browser sign in. */
    public int signIns() {
        return signIns;
    }

    /** The e-mail the last sign-in form it filled in held before it typed (login_hint). */
    public String prefilledEmail() {
        return prefilledEmail;
    }

    /** Goes to {@code target} (a URL of this server, or a path with its raw query) and on as described above. */
    public Outcome visit(String target) {
        String next = pathOf(target);
        for (int step = 0; step < MAX_STEPS; step++) {
            Step answered = answer(request().get(next));
            if (answered.outcome() != null) {
                return answered.outcome();
            }
            next = answered.next();
        }
        throw new AssertionError("more than " + MAX_STEPS + " redirects from " + target);
    }

    /** Goes to {@code target}. */
    public Outcome visit(URI target) {
        return visit(target.toString());
    }

    /** A request with this browser's cookies; redirects are not followed. */
    public RequestSpecification request() {
        return given().redirects().follow(false).urlEncodingEnabled(false).cookies(cookies);
    }

    /** A form post with this browser's cookies, encoded in UTF-8 as a browser encodes a UTF-8 page's form. */
    private RequestSpecification form(Map<String, String> fields) {
        return request().urlEncodingEnabled(true)
                .config(RestAssured.config().encoderConfig(EncoderConfig.encoderConfig()
                        .defaultContentCharset(StandardCharsets.UTF_8)))
                .formParams(fields);
    }

    /** Either where the visit ended, or the path of this server it goes on to. */
    private record Step(Outcome outcome, String next) {
    }

    /**
     * Where {@code response} leads. Pages with the sign-in or consent form are filled in and posted, and their answer
     * is looked at in turn.
     */
    private Step answer(Response response) {
        keepCookies(response);
        int status = response.statusCode();
        if (status >= 300 && status < 400) {
            URI location = URI.create(response.header("Location"));
            return ours(location) ? new Step(null, pathOf(location.toString()))
                    : new Step(new Outcome(location, status, null), null);
        }
        String page = response.asString();
        if (status == 200 && page.contains(SIGN_IN_FORM)) {
            return answer(signIn(page));
        }
        if (status == 200 && authorize && page.contains(CONSENT_FORM)) {
            Response decided = form(hiddenFields(page, CONSENT_FORM))
                    .formParam("decision", "authorize")
                    .post("/oauth/authorize");
            return answer(decided);
        }
        return new Step(new Outcome(null, status, page), null);
    }

    private Response signIn(String page) {
        signIns++;
        Matcher email = EMAIL_VALUE.matcher(page);
        prefilledEmail = email.find() ? unescape(email.group(1)) : null;
        Response signedIn = form(hiddenFields(page, SIGN_IN_FORM))
                .formParam("email", user.email())
                .formParam("password", user.password())
                .post("/users/sign_in");
        assertEquals(303, signedIn.statusCode(), () -> "sign-in refused: " + signedIn.asString());
        return signedIn;
    }

    private void keepCookies(Response response) {
        for (Cookie cookie : response.getDetailedCookies()) {
            boolean expired = cookie.getMaxAge() == 0 || cookie.getValue() == null || cookie.getValue().isEmpty()
                    || (cookie.getExpiryDate() != null && cookie.getExpiryDate().before(new Date()));
            if (expired) {
                cookies.remove(cookie.getName());
            } else {
                cookies.put(cookie.getName(), cookie.getValue());
            }
        }
    }

    /** Whether {@code location} (absolute or a path) is on this server. */
    private static boolean ours(URI location) {
        if (!location.isAbsolute()) {
            return true;
        }
        URI base = URI.create(RestAssured.baseURI);
        return location.getHost() != null && location.getHost().equals(base.getHost())
                && location.getPort() == RestAssured.port;
    }

    /** The path and raw query of a URL of this server. */
    private static String pathOf(String target) {
        URI uri = URI.create(target);
        return uri.getRawQuery() == null ? uri.getRawPath() : uri.getRawPath() + "?" + uri.getRawQuery();
    }

    /** The hidden fields of the form that starts with {@code form} in {@code page}. */
    static Map<String, String> hiddenFields(String page, String form) {
        int start = page.indexOf(form);
        Map<String, String> fields = new LinkedHashMap<>();
        Matcher matcher = HIDDEN.matcher(page.substring(start, page.indexOf("</form>", start)));
        while (matcher.find()) {
            fields.put(matcher.group(1), unescape(matcher.group(2)));
        }
        return fields;
    }

    static String unescape(String html) {
        return html.replace("&quot;", "\"").replace("&#39;", "'").replace("&lt;", "<").replace("&gt;", ">")
                .replace("&amp;", "&");
    }
}
