package io.storeman.web;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.storeman.common.Failures;
import io.storeman.common.ProblemException;
import io.storeman.security.SecurityHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import org.jboss.logging.Logger;

/**
 * How the pages fail: a redirect to sign in, or a plain HTML page with the status, a sentence for people, and for
 * server faults the request id. Details go only to the log; never a stack trace or an exception name.
 */
@ApplicationScoped
public class WebErrors {

    private static final Logger LOG = Logger.getLogger(WebErrors.class);

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance error(PageContext page, int status, String title, String message);
    }

    public Response render(Throwable failure, HttpServerRequest request) {
        if (failure instanceof NotSignedIn) {
            return signInFirst(request);
        }
        if (failure instanceof CsrfRejected) {
            return page(403, "Form expired",
                    "This form was not sent from the current page of your session. Go back, reload the page and try"
                            + " again.");
        }
        if (failure instanceof ProblemException problem) {
            int status = problem.problem().status();
            return status == 404
                    ? notFound()
                    : page(status, problem.problem().title(), problem.problem().detail());
        }
        if (failure instanceof WebApplicationException http && http.getResponse().getStatus() < 500) {
            int status = http.getResponse().getStatus();
            if (status == 404) {
                return notFound();
            }
            Response.Status known = Response.Status.fromStatusCode(status);
            return page(status, known == null ? "Error" : known.getReasonPhrase(),
                    "The request could not be handled.");
        }
        String requestId = request.response().headers().get(SecurityHeaders.REQUEST_ID);
        if (Failures.isDatabaseUnavailable(failure)) {
            LOG.warnf("Request %s: database unavailable: %s", requestId, failure.getMessage());
            return Response.fromResponse(page(503, "Temporarily unavailable",
                    "Storeman cannot reach its database just now. Please try again in a few seconds."))
                    .header("Retry-After", "5").build();
        }
        LOG.errorf(failure, "Request %s failed", requestId);
        return page(500, "Something went wrong",
                "The request could not be completed. If it keeps happening, quote request id " + requestId + ".");
    }

    private static Response signInFirst(HttpServerRequest request) {
        String target = "/users/sign_in";
        if (request.method() == HttpMethod.GET && request.path().startsWith("/account")) {
            target += "?next=" + URLEncoder.encode(WebForms.safeNext(request.path()), StandardCharsets.UTF_8);
        }
        return Response.seeOther(URI.create(target)).build();
    }

    private static Response notFound() {
        return page(404, "Not found", "There is no such page here, or it belongs to another account.");
    }

    static Response page(int status, String title, String message) {
        String html = Templates.error(PageContext.anonymous(null, null), status, title, message).render();
        return Response.status(status)
                .type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"))
                .header(HttpHeaders.CACHE_CONTROL, "no-store")
                .entity(html)
                .build();
    }
}
