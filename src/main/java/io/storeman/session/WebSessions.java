package io.storeman.session;

import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import io.storeman.account.PasswordChanged;
import io.storeman.account.User;
import io.storeman.common.Secrets;
import io.storeman.common.StoremanConfig;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;

/**
 * Server-side web sessions in PostgreSQL, so that any instance serves any request and signing out ends the session
 * everywhere at once. The cookie is HttpOnly, SameSite=Lax, and Secure unless configured off (dev, test).
 */
@ApplicationScoped
public class WebSessions implements PasswordChanged {

    public static final String COOKIE = "storeman_session";
    /** The pre-session secret behind the CSRF token of the sign-in and sign-up forms. */
    public static final String PRE_SESSION_COOKIE = "storeman_csrf";
    /** A session's deadline is moved forward at most this often, so that browsing is not a write per page. */
    private static final Duration TOUCH_EVERY = Duration.ofMinutes(1);

    /**
     * A signed-in browser: the user, the session id from the cookie (never stored as such), and when the session
     * started, which is when the user last proved who they are (each sign-in starts a new session): an ID token's
     * {@code auth_time}, and what {@code max_age} is measured against.
     */
    public record SignedIn(User user, String sessionToken, Instant signedInAt) {

        public String csrfToken() {
            return Csrf.tokenFor(sessionToken);
        }
    }

    private final WebSessionRepository sessions;
    private final StoremanConfig.Web settings;

    WebSessions(WebSessionRepository sessions, StoremanConfig config) {
        this.sessions = sessions;
        this.settings = config.web();
    }

    /** Starts a session for a user who has just proved who they are; answers the new cookie value. */
    @WithTransaction
    public Uni<String> start(long userId) {
        String token = Secrets.newToken();
        Instant now = Instant.now();
        WebSession session = new WebSession();
        session.tokenHash = Secrets.sha256(token);
        session.userId = userId;
        session.createdAt = now;
        session.lastSeenAt = now;
        session.expiresAt = earlier(now.plus(settings.sessionIdleTimeout()), now.plus(settings.sessionMaxAge()));
        return sessions.persist(session).replaceWith(token);
    }

    /** The signed-in user of this request, or null when its cookie names no live session. */
    public Uni<SignedIn> find(HttpServerRequest request) {
        String token = cookieValue(request, COOKIE);
        if (token == null) {
            return Uni.createFrom().nullItem();
        }
        return find(token);
    }

    @WithTransaction
    Uni<SignedIn> find(String token) {
        Instant now = Instant.now();
        return sessions.findLive(Secrets.sha256(token), now)
                .chain(live -> {
                    if (live == null) {
                        return Uni.createFrom().nullItem();
                    }
                    SignedIn signedIn = new SignedIn(live.user(), token, live.session().createdAt);
                    if (live.session().lastSeenAt.isAfter(now.minus(TOUCH_EVERY))) {
                        return Uni.createFrom().item(signedIn);
                    }
                    return sessions.touch(live.session().id, now, now.plus(settings.sessionIdleTimeout()),
                            live.session().createdAt.plus(settings.sessionMaxAge())).replaceWith(signedIn);
                });
    }

    /** Ends the session of this cookie value (sign-out). */
    @WithTransaction
    public Uni<Void> end(String token) {
        return token == null
                ? Uni.createFrom().voidItem()
                : sessions.deleteByHash(Secrets.sha256(token)).replaceWithVoid();
    }

    /**
     * Ends every session of a user but {@code keepToken}'s (none kept when null), as after a password change. Joins
     * the caller's transaction.
     */
    public Uni<Void> endAllBut(long userId, String keepToken) {
        return sessions.deleteOthers(userId, keepToken == null ? null : Secrets.sha256(keepToken)).replaceWithVoid();
    }

    /** A password change ends every other session of its user: whoever knew the old password is signed out. */
    @Override
    public Uni<Void> passwordChanged(long userId, String keepSessionToken) {
        return endAllBut(userId, keepSessionToken);
    }

    /** A {@code Set-Cookie} value for a new session: a browser-session cookie (the server enforces expiry). */
    public String sessionCookie(String token) {
        return cookie(COOKIE, token, -1);
    }

    public String endedSessionCookie() {
        return cookie(COOKIE, "", 0);
    }

    public String preSessionCookie(String secret) {
        return cookie(PRE_SESSION_COOKIE, secret, -1);
    }

    public static String cookieValue(HttpServerRequest request, String name) {
        Cookie cookie = request.getCookie(name);
        if (cookie == null || cookie.getValue() == null || cookie.getValue().isEmpty()
                || cookie.getValue().length() > 100) {
            return null;
        }
        return cookie.getValue();
    }

    private String cookie(String name, String value, long maxAge) {
        Cookie cookie = Cookie.cookie(name, value)
                .setPath("/")
                .setHttpOnly(true)
                .setSecure(settings.secureCookies())
                .setSameSite(CookieSameSite.LAX);
        if (maxAge >= 0) {
            cookie.setMaxAge(maxAge);
        }
        return cookie.encode();
    }

    private static Instant earlier(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }
}
