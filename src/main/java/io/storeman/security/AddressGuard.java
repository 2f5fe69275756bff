package io.storeman.security;

import io.storeman.common.Problem;
import io.storeman.oauth.OAuthError;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Locale;

/**
 * Answers 429 with {@code Retry-After} at every endpoint that checks credentials or creates accounts (OAuth
 * endpoints, account API, sign-in and sign-up) for a client address that failed to authenticate too often (see
 * {@link LoginThrottle}): in the endpoint's format, RFC 6749 JSON at {@code /oauth/}, a page for the browser's
 * pages, a problem document elsewhere. The check is a lookup in memory.
 * <p>
 * Paths are compared in a canonical form, so that no spelling the router might still serve slips past: percent
 * escapes decoded, case folded, matrix parameters, empty and dot segments dropped. Plain string work, no regular
 * expression: its cost is linear in the path, whatever the path.
 */
@ApplicationScoped
public class AddressGuard {

    /** Canonical path prefixes of the guarded endpoints; a prefix guards itself and everything below it. */
    private static final List<String> GUARDED = List.of("/oauth", "/api/v1/oauth", "/api/v1/authorized_applications",
            "/api/v1/me/password", "/api/v1/users", "/users/sign_in", "/users/sign_up");
    /** Rounds of percent-decoding: enough for any router, which decodes once; %2574 becomes t after two. */
    private static final int DECODINGS = 3;
    private static final String PAGE = """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>Too many attempts · Storeman</title>
            <link rel="stylesheet" href="/assets/storeman.css"></head>
            <body><main id="main" class="main"><section class="card narrow error-page"><p class="status">429</p>
            <h1>Too many attempts</h1><p>There were too many failed attempts from your network. Please try again in
            a few minutes.</p></section></main></body></html>
            """;

    private final LoginThrottle throttle;

    AddressGuard(LoginThrottle throttle) {
        this.throttle = throttle;
    }

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE + 1).handler(this::check);
    }

    private void check(RoutingContext context) {
        String address = throttle.noAddressBlocked() ? null : ClientAddress.current().key();
        String path = address != null && throttle.isAddressBlocked(address)
                ? canonical(context.normalizedPath())
                : null;
        if (path == null || !isGuarded(path)) {
            context.next();
            return;
        }
        boolean page = path.startsWith("/users/") || path.startsWith("/oauth/authorize");
        boolean oauth = !page && path.startsWith("/oauth/");
        String body;
        String type;
        if (page) {
            body = PAGE;
            type = "text/html;charset=UTF-8";
        } else if (oauth) {
            body = new JsonObject().put("error", OAuthError.SLOW_DOWN.code())
                    .put("error_description", OAuthError.SLOW_DOWN.defaultDescription()).encode();
            type = "application/json";
        } else {
            body = new JsonObject().put("type", "about:blank").put("title", "Too Many Requests").put("status", 429)
                    .put("detail", "Too many failed attempts from this address. Retry later.").encode();
            type = Problem.MEDIA_TYPE;
        }
        context.response().setStatusCode(429)
                .putHeader("Retry-After", Long.toString(throttle.retryAfterSeconds(address)))
                .putHeader("Cache-Control", "no-store")
                .putHeader("Content-Type", type)
                .end(body);
    }

    /** Whether a {@link #canonical(String)} path is one of the guarded endpoints or below one. */
    static boolean isGuarded(String canonical) {
        for (String prefix : GUARDED) {
            if (canonical.equals(prefix) || canonical.startsWith(prefix + "/")) {
                return true;
            }
        }
        return false;
    }

    /**
     * The path as the most lenient router could read it: percent escapes decoded (a few rounds), lower case, each
     * segment cut at {@code ;}, empty and {@code .} segments dropped, {@code ..} taking one back.
     */
    static String canonical(String path) {
        String decoded = path == null ? "" : path;
        for (int i = 0; i < DECODINGS && decoded.indexOf('%') >= 0; i++) {
            decoded = percentDecoded(decoded);
        }
        Deque<String> segments = new ArrayDeque<>();
        for (String segment : decoded.toLowerCase(Locale.ROOT).replace('\\', '/').split("/")) {
            int matrix = segment.indexOf(';');
            String name = matrix < 0 ? segment : segment.substring(0, matrix);
            if (name.equals("..")) {
                segments.pollLast();
            } else if (!name.isEmpty() && !name.equals(".")) {
                segments.addLast(name);
            }
        }
        return "/" + String.join("/", segments);
    }

    /** Each {@code %XX} as the character of that code; anything else, a stray {@code %} included, as it is. */
    private static String percentDecoded(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            int high = i + 2 < text.length() && c == '%' ? Character.digit(text.charAt(i + 1), 16) : -1;
            int low = high < 0 ? -1 : Character.digit(text.charAt(i + 2), 16);
            if (low < 0) {
                out.append(c);
            } else {
                out.append((char) (high * 16 + low));
                i += 2;
            }
        }
        return out.toString();
    }
}
