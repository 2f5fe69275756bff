package io.storeman.web;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.mutiny.Uni;
import io.storeman.common.ErrorHeaders;
import io.storeman.common.Failures;
import io.storeman.common.ProblemException;
import io.storeman.common.ProblemWriter;
import io.storeman.security.SecurityHeaders;
import io.storeman.session.WebSessions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import jakarta.inject.Singleton;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;

/**
 * Writes the failures of endpoints declaring {@code ErrorFormat.Format.PAGE}: a redirect to sign in, or a plain HTML
 * page with the status, a sentence for people, and for server faults the request id. Details go only to the log;
 * never a stack trace or an exception name (docs/security.md E4).
 */
@Singleton
public class PageErrorWriter {

    private static final Logger LOG = Logger.getLogger(PageErrorWriter.class);

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance error(PageContext page, int status, String title, String message);
    }

    /** A failed page: its status and the sentences shown; {@code retryAfter} for an outage. */
    private record ErrorPage(int status, String title, String message, String retryAfter) {
    }

    private static final ErrorPage NOT_FOUND = new ErrorPage(404, "Not found",
            "There is no such page here, or it belongs to another account.", null);
    private static final ErrorPage NOT_ALLOWED = new ErrorPage(405, "Not available this way",
            "This page exists, but not for this kind of request. Follow a link or a button to it instead.", null);

    private final WebSessions sessions;

    PageErrorWriter(WebSessions sessions) {
        this.sessions = sessions;
    }

    /**
     * The answer to a request that failed in {@code page}, a page class (null when no page took the request). Client
     * errors show the page frame of the signed-in user (when there is one), so that the navigation stays; server
     * faults do not touch the database again. The consent page's and the end-session page's answers, failures
     * included, keep their guard against caching and framing.
     */
    public Uni<Response> render(Throwable failure, HttpServerRequest request, Class<?> page) {
        Uni<Response> response = answer(failure, request);
        return page == AuthorizePage.class || page == EndSessionPage.class || page == DevicePage.class
                ? response.map(AuthorizePage::guarded)
                : response;
    }

    private Uni<Response> answer(Throwable failure, HttpServerRequest request) {
        if (failure instanceof NotSignedIn) {
            return Uni.createFrom().item(signInFirst(request));
        }
        ErrorPage page = describe(failure, request);
        if (page.status() >= 500) {
            return Uni.createFrom().item(respond(page, PageContext.anonymous(null, null)));
        }
        return framed(page, request);
    }

    /**
     * The error page as it looks to a visitor who is not signed in: the same for every request, so it can answer
     * before the request reaches a page (a request over a limit, one whose URL cannot be decoded).
     */
    public static String anonymousPage(int status, String title, String message) {
        return Templates.error(PageContext.anonymous(null, null), status, title, message).render();
    }

    /** A client-error page with a title and a sentence of the caller's, e.g. a refused authorization request. */
    public Uni<Response> show(int status, String title, String message, HttpServerRequest request) {
        return framed(new ErrorPage(status, title, message, null), request);
    }

    private Uni<Response> framed(ErrorPage page, HttpServerRequest request) {
        return sessions.find(request)
                .onFailure().recoverWithNull()
                .map(signedIn -> respond(page, signedIn == null
                        ? PageContext.anonymous(null, null)
                        : PageContext.of(signedIn, "", null)));
    }

    private static ErrorPage describe(Throwable failure, HttpServerRequest request) {
        if (failure instanceof CsrfRejected) {
            return new ErrorPage(403, "Form expired",
                    "This form was not sent from the current page of your session. Go back, reload the page and try"
                            + " again.", null);
        }
        if (failure instanceof ProblemException problem) {
            int status = problem.problem().status();
            Long retryAfter = problem.retryAfter();
            return status == 404 ? NOT_FOUND : new ErrorPage(status, problem.problem().title(),
                    problem.problem().detail(), retryAfter == null ? null : retryAfter.toString());
        }
        if (failure instanceof WebApplicationException http && http.getResponse().getStatus() < 500) {
            int status = http.getResponse().getStatus();
            if (status == 404) {
                return NOT_FOUND;
            }
            if (status == 405) {
                return NOT_ALLOWED;
            }
            return new ErrorPage(status, ProblemWriter.title(status), "The request could not be handled.", null);
        }
        String requestId = request.response().headers().get(SecurityHeaders.REQUEST_ID);
        if (Failures.isUnavailable(failure)) {
            LOG.warnf("Request %s: database unavailable: %s", requestId, failure.getMessage());
            return new ErrorPage(503, "Temporarily unavailable",
                    "Storeman cannot reach its database just now. Please try again in a few seconds.",
                    Long.toString(ErrorHeaders.OUTAGE_RETRY_AFTER_SECONDS));
        }
        LOG.errorf(failure, "Request %s failed", requestId);
        return new ErrorPage(500, "Something went wrong",
                "The request could not be completed. If it keeps happening, quote request id " + requestId + ".",
                null);
    }

    private static Response signInFirst(HttpServerRequest request) {
        boolean comeBack = request.method() == HttpMethod.GET && request.path().startsWith("/account");
        return Response.seeOther(WebForms.signInPage(comeBack ? request.path() : null, null)).build();
    }

    private static Response respond(ErrorPage page, PageContext context) {
        String html = Templates.error(context, page.status(), page.title(), page.message()).render();
        Response.ResponseBuilder response = Response.status(page.status())
                .type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"))
                .header(ErrorHeaders.CACHE_CONTROL, ErrorHeaders.NO_STORE)
                .entity(html);
        if (page.retryAfter() != null) {
            response.header(ErrorHeaders.RETRY_AFTER, page.retryAfter());
        }
        return response.build();
    }
}
