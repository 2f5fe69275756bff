package io.storeman.web;

import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.util.regex.Pattern;

/** What the signed-in pages share: finding the signed-in user, checking a form's CSRF token, safe redirects. */
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
    private static final Pattern BROKEN_ESCAPE = Pattern.compile("%(?![0-9A-Fa-f]{2})");
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

    public static String safeNext(String next) {
        return next != null && next.length() <= MAX_NEXT_LENGTH
                && (LOCAL_PAGE.matcher(next).matches() || isAuthorizeRequest(next))
                ? next
                : "/account";
    }

    private static boolean isAuthorizeRequest(String next) {
        return AUTHORIZE_REQUEST.matcher(next).matches() && !BROKEN_ESCAPE.matcher(next).find();
    }

    public static URI withNotice(String path, Notice notice) {
        return URI.create(path + "?notice=" + notice.key());
    }
}
