package io.storeman.security;

import io.storeman.common.Problem;
import io.storeman.oauth.OAuthError;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Answers 429 with {@code Retry-After} at every endpoint that checks credentials (OAuth endpoints, account API,
 * sign-in) for a client address that failed to authenticate too often (see {@link LoginThrottle}). The check is a
 * lookup in memory.
 */
@ApplicationScoped
public class AddressGuard {

    private static final String GUARDED = "^/(oauth/.*|api/v1/oauth/.*|api/v1/authorized_applications.*"
            + "|api/v1/me/password|users/sign_in)$";

    private final LoginThrottle throttle;

    AddressGuard(LoginThrottle throttle) {
        this.throttle = throttle;
    }

    void install(@Observes Router router) {
        router.routeWithRegex(GUARDED).order(Integer.MIN_VALUE + 1).handler(this::check);
    }

    private void check(RoutingContext context) {
        String address = context.request().remoteAddress() == null
                ? null
                : context.request().remoteAddress().hostAddress();
        if (address == null || !throttle.isAddressBlocked(address)) {
            context.next();
            return;
        }
        boolean oauth = context.request().path().startsWith("/oauth/");
        JsonObject body = oauth
                ? new JsonObject().put("error", OAuthError.SLOW_DOWN.code())
                        .put("error_description", OAuthError.SLOW_DOWN.defaultDescription())
                : new JsonObject().put("type", "about:blank").put("title", "Too Many Requests").put("status", 429)
                        .put("detail", "Too many failed attempts from this address. Retry later.");
        context.response().setStatusCode(429)
                .putHeader("Retry-After", Long.toString(throttle.retryAfterSeconds(address)))
                .putHeader("Cache-Control", "no-store")
                .putHeader("Content-Type", oauth ? "application/json" : Problem.MEDIA_TYPE)
                .end(body.encode());
    }
}
