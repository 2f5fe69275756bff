package io.storeman.web;

import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Headers of the account pages: nothing cached (they show secrets and personal data), and a content security policy
 * that allows only this server's own stylesheet and script, no inline code, and forms posting only back here.
 */
@ApplicationScoped
public class WebHeaders {

    static final String PAGES = "^/(users|account)(/.*)?$";
    public static final String POLICY_HEADER = "Content-Security-Policy";
    public static final String POLICY = "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self' data:;"
            + " form-action 'self'; frame-ancestors 'self'; base-uri 'none'";

    void install(@Observes Router router) {
        router.routeWithRegex(PAGES).order(Integer.MIN_VALUE + 2).handler(context -> {
            context.response().headers()
                    .set(POLICY_HEADER, POLICY)
                    .set("Cache-Control", "no-store");
            context.next();
        });
    }
}
