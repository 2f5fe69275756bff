package io.storeman.web;

import io.quarkus.qute.TemplateInstance;
import io.smallrye.mutiny.Uni;
import io.storeman.common.Secrets;
import io.storeman.session.Csrf;
import io.storeman.session.WebSessions;
import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * What the pages share: finding the signed-in user, checking a form's CSRF token, starting a session, and safe
 * redirects, among them the pending request ({@code next}) that the sign-in, sign-up and sign-out forms carry (X5).
 */
@ApplicationScoped
public class WebForms {

    /** Where a sign-in may send the browser next: pages of the account section only (no open redirect). */
    private static final Pattern LOCAL_PAGE = Pattern.compile("/account(/[A-Za-z0-9_/-]{0,200})?");
    /**
     * Or back to an authorization request: this exact path, then a query of URI query characters only (each percent
     * sign starting a well-formed escape), so the target stays on this server and parses as a URI.
     */
    private static final Pattern AUTHORIZE_REQUEST =
            Pattern.compile("/oauth/authorize\\?[A-Za-z0-9._~!$&'()*+,;=:@/?%-]{1,8000}+");
    /** Or back to the device page, with the user code it was opened with (letters and dashes only). */
    private static final Pattern DEVICE_PAGE = Pattern.compile("/device(\\?user_code=[A-Za-z-]{1,32})?");
    private static final Pattern BROKEN_ESCAPE = Pattern.compile("%(?![0-9A-Fa-f]{2})");
    /** The account page: where a browser goes when it has no (safe) pending request. */
    static final String ACCOUNT = "/account";
    /** Longer than anything the patterns above accept: refused before they run. */
    private static final int MAX_NEXT_LENGTH = 8100;

    private final WebSessions sessions;

    WebForms(WebSessions sessions) {
        this.sessions = sessions;
    }

    /** The signed-in user, or a failure that becomes a redirect to the sign-in page. */
    public Uni<WebSessions.SignedIn> signedIn(HttpServerRequest request) {
        return sessions.find(request).onItem().ifNull().failWith(NotSignedIn::new);
    }

    /** The signed-in user of a form post that carries the session's CSRF token; otherwise it is refused. */
    public Uni<WebSessions.SignedIn> signedInForm(HttpServerRequest request, String csrfToken) {
        return signedIn(request).invoke(signedIn -> {
            if (!Csrf.matches(signedIn.sessionToken(), csrfToken)) {
                throw new CsrfRejected();
            }
        });
    }

    /**
     * A form page for a browser that is not signed in (sign-in, sign-up), answered with {@code status}: its CSRF token
     * derives from the pre-session secret in a cookie, a new secret when the browser holds none.
     */
    public Response anonymousForm(HttpServerRequest request, int status, Function<String, TemplateInstance> page) {
        String secret = WebSessions.cookieValue(request, WebSessions.PRE_SESSION_COOKIE);
        Response.ResponseBuilder response = Response.status(status);
        if (secret == null) {
            secret = Secrets.newToken();
            response.header(HttpHeaders.SET_COOKIE, sessions.preSessionCookie(secret));
        }
        return response.type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"))
                .entity(page.apply(Csrf.tokenFor(secret)))
                .build();
    }

    /**
     * Signs the browser in as {@code userId} and sends it on to {@code next}: a new session id, never one the browser
     * brought (a session id planted before sign-in is worthless), and the session the browser held before ends. The
     * CSRF token of the signed-in forms derives from the new id, so it is new as well. Sign-in and sign-up both end
     * here.
     */
    public Uni<Response> startSession(HttpServerRequest request, long userId, URI next) {
        String previous = WebSessions.cookieValue(request, WebSessions.COOKIE);
        return sessions.end(previous)
                .chain(() -> sessions.start(userId))
                .map(token -> Response.seeOther(next)
                        .header(HttpHeaders.SET_COOKIE, sessions.sessionCookie(token))
                        .build());
    }

    /** Where a form sends the browser once it is signed in: {@code next} when it is safe, else the account page. */
    public static String safeNext(String next) {
        return next != null && next.length() <= MAX_NEXT_LENGTH
                && (LOCAL_PAGE.matcher(next).matches() || isAuthorizeRequest(next)
                        || DEVICE_PAGE.matcher(next).matches())
                ? next
                : ACCOUNT;
    }

    private static boolean isAuthorizeRequest(String next) {
        return AUTHORIZE_REQUEST.matcher(next).matches() && !BROKEN_ESCAPE.matcher(next).find();
    }

    public static URI withNotice(String path, Notice notice) {
        return URI.create(path + "?notice=" + notice.key());
    }

    /**
     * The query that carries a pending request on to another sign-in page ({@code ?next=...}, percent-encoded), or
     * nothing when there is none or it is the default. The value is checked again wherever it is read.
     */
    public static String nextQuery(String next) {
        if (next == null) {
            return "";
        }
        String safe = safeNext(next);
        return safe.equals(ACCOUNT) ? "" : "?next=" + URLEncoder.encode(safe, StandardCharsets.UTF_8);
    }

    /** The sign-in page, told to return to {@code next} (X5). */
    public static URI signInPage(String next, Notice notice) {
        String query = nextQuery(next);
        if (notice != null) {
            query += (query.isEmpty() ? "?" : "&") + "notice=" + notice.key();
        }
        return URI.create("/users/sign_in" + query);
    }
}
