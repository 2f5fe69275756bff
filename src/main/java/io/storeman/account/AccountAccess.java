package io.storeman.account;

import io.smallrye.mutiny.Uni;
import io.storeman.common.ProblemException;
import io.storeman.web.Csrf;
import io.storeman.web.WebSessions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.HttpHeaders;
import java.util.Set;

/**
 * Who is calling the account API: the user of the HTTP Basic credentials when an {@code Authorization} header is
 * sent, else the user of the web session cookie. With the cookie, a request that changes something must also carry
 * the session's CSRF token in {@code X-CSRF-Token}, since browsers attach cookies to cross-site requests.
 */
@ApplicationScoped
public class AccountAccess {

    private static final Set<HttpMethod> SAFE = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS);

    /** The account holder, and the session id when the web session was used (else null). */
    public record Caller(User user, String sessionToken) {
    }

    private final AccountAuthenticator basic;
    private final WebSessions sessions;

    AccountAccess(AccountAuthenticator basic, WebSessions sessions) {
        this.basic = basic;
        this.sessions = sessions;
    }

    public Uni<Caller> authenticate(HttpServerRequest request) {
        String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (authorization != null || WebSessions.cookieValue(request, WebSessions.COOKIE) == null) {
            return basic.authenticate(authorization).map(user -> new Caller(user, null));
        }
        return sessions.find(request)
                .map(signedIn -> {
                    if (signedIn == null) {
                        throw ProblemException.unauthenticated();
                    }
                    if (!SAFE.contains(request.method())
                            && !Csrf.matches(signedIn.sessionToken(), request.getHeader(Csrf.HEADER))) {
                        throw ProblemException.forbidden(
                                "With the session cookie, send the page's CSRF token in " + Csrf.HEADER + ".");
                    }
                    return new Caller(signedIn.user(), signedIn.sessionToken());
                });
    }
}
