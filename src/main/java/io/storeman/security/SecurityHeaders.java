package io.storeman.security;

import io.vertx.core.MultiMap;
import org.jboss.logging.MDC;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Adds the contract's security headers and an {@code X-Request-Id} to every response, including health, metrics and
 * errors. A client's request id is echoed only when it is short and plain; otherwise a new one is made. The id goes
 * into the logging context of the request.
 */
@ApplicationScoped
public class SecurityHeaders {

    public static final String REQUEST_ID = "X-Request-Id";
    private static final Pattern SAFE_REQUEST_ID = Pattern.compile("[A-Za-z0-9._:@/+=-]{1,128}");

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).handler(context -> {
            String requestId = requestId(context.request().getHeader(REQUEST_ID));
            context.put(REQUEST_ID, requestId);
            MDC.put("request_id", requestId);
            MultiMap headers = context.response().headers();
            headers.set(REQUEST_ID, requestId);
            headers.set("X-Content-Type-Options", "nosniff");
            headers.set("X-Frame-Options", "SAMEORIGIN");
            headers.set("Referrer-Policy", "strict-origin-when-cross-origin");
            context.next();
        });
    }

    static String requestId(String presented) {
        return presented != null && presented.length() <= 128 && SAFE_REQUEST_ID.matcher(presented).matches()
                ? presented
                : UUID.randomUUID().toString();
    }
}
