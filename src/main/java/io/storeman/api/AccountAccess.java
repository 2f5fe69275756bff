package io.storeman.api;

import io.smallrye.mutiny.Uni;
import io.storeman.account.AccountAuthenticator;
import io.storeman.account.User;
import io.storeman.common.ProblemException;
import io.storeman.common.StoremanConfig;
import io.storeman.session.Csrf;
import io.storeman.session.WebSessions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.HostAndPort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.HttpHeaders;
import java.util.Locale;
import java.util.Set;

/**
 * Who is calling the account API: the user of the HTTP Basic credentials when an {@code Authorization} header is
 * sent, else the user of the web session cookie. With the cookie, a request that changes something must also carry
 * the session's CSRF token in {@code X-CSRF-Token}, since browsers attach cookies to cross-site requests.
 * <p>
 * A browser may also have cached Basic credentials, which it sends with any site's forms and scripts. So, before
 * anyone is authenticated, a request from another origin is refused (403), and so is a change not declared as JSON
 * (415): no cross-site form or script can send {@code Content-Type: application/json} without a CORS preflight, which
 * this server never grants.
 */
@ApplicationScoped
public class AccountAccess {

    private static final Set<HttpMethod> SAFE = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS);

    /** The account holder, and the session id when the web session was used (else null). */
    public record Caller(User user, String sessionToken) {
    }

    private final AccountAuthenticator basic;
    private final WebSessions sessions;
    private final String issuerOrigin;

    AccountAccess(AccountAuthenticator basic, WebSessions sessions, StoremanConfig config) {
        this.basic = basic;
        this.sessions = sessions;
        this.issuerOrigin = originOf(config.issuer());
    }

    public Uni<Caller> authenticate(HttpServerRequest request) {
        refuseCrossSite(request);
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

    private void refuseCrossSite(HttpServerRequest request) {
        String origin = request.getHeader("Origin");
        if (origin != null && !origin.equalsIgnoreCase(issuerOrigin) && !origin.equalsIgnoreCase(ownOrigin(request))) {
            throw ProblemException.forbidden("The account API takes no requests from other origins.");
        }
        HttpMethod method = request.method();
        boolean mustBeJson = !SAFE.contains(method) && (method != HttpMethod.DELETE || hasBody(request));
        if (mustBeJson && !isJson(request.getHeader(HttpHeaders.CONTENT_TYPE))) {
            throw ProblemException.unsupportedMediaType(
                    "Send changes as JSON (Content-Type: application/json), also when there is no body.");
        }
    }

    /** The scheme, host and port of a URL: what a browser sends as {@code Origin}. */
    private static String originOf(String url) {
        int host = url.indexOf("://");
        int path = host < 0 ? -1 : url.indexOf('/', host + 3);
        return path < 0 ? url : url.substring(0, path);
    }

    /** The origin the request was addressed to: its scheme and its Host. */
    private static String ownOrigin(HttpServerRequest request) {
        HostAndPort authority = request.authority();
        if (authority == null) {
            return null;
        }
        return request.scheme() + "://" + authority.host() + (authority.port() < 0 ? "" : ":" + authority.port());
    }

    private static boolean hasBody(HttpServerRequest request) {
        String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        return (length != null && !length.trim().equals("0"))
                || request.getHeader("Transfer-Encoding") != null;
    }

    /** {@code application/json} or a JSON-based type ({@code application/merge-patch+json}), with any parameters. */
    private static boolean isJson(String contentType) {
        String type = contentType == null ? "" : contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        return type.equals("application/json") || type.startsWith("application/") && type.endsWith("+json");
    }
}
