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
        return next != null && LOCAL_PAGE.matcher(next).matches() ? next : "/account";
    }

    public static URI withNotice(String path, Notice notice) {
        return URI.create(path + "?notice=" + notice.key());
    }
}
