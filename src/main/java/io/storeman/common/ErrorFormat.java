package io.storeman.common;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * How a resource's failures are written (docs/security.md E1). Every {@code @Path} class declares one, and the error
 * responses follow the declaration, never the request's path: moving an endpoint cannot change its error format.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface ErrorFormat {

    Format value();

    enum Format {
        /** RFC 6749 §5.2 JSON ({@code error}, {@code error_description}), never cached. */
        OAUTH,
        /** RFC 9457 {@code application/problem+json}. */
        PROBLEM,
        /** An HTML page in the site's frame, or a redirect to sign in. */
        PAGE
    }
}
