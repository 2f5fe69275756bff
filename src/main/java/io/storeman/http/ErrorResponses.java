package io.storeman.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import io.smallrye.mutiny.Uni;
import io.storeman.common.ErrorFormat;
import io.storeman.common.ErrorFormat.Format;
import io.storeman.common.Failures;
import io.storeman.common.ProblemException;
import io.storeman.common.ProblemWriter;
import io.storeman.oauth.OAuthErrorWriter;
import io.storeman.oauth.OAuthException;
import io.storeman.security.SecurityHeaders;
import io.storeman.web.PageErrorWriter;
import io.storeman.web.WebHeaders;
import io.vertx.core.http.HttpServerRequest;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Locale;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import org.jboss.resteasy.reactive.server.SimpleResourceInfo;

/**
 * The one entry point of every failure (docs/security.md E1): it finds the {@link ErrorFormat} the matched resource
 * class declares and hands the failure to that format's writer ({@link OAuthErrorWriter}, {@link ProblemWriter},
 * {@link PageErrorWriter}). The path of the request plays no part, except for a request no resource took (404, or
 * 405 for a method a path does not serve), which has no declaration: a browser finding its way around (an
 * {@code Accept} naming {@code text/html}, off the API, OAuth, discovery and operations paths) gets an HTML page in
 * the site's frame, everything else JSON as the contract fixes it.
 *
 * <p>On the machine formats an {@link OAuthException} is always written by {@link OAuthErrorWriter} (the API's Bearer
 * errors are RFC 6750's) and a {@link ProblemException} by {@link ProblemWriter}: each is already a document of its
 * vocabulary. Everything else (validation, unreadable bodies, HTTP errors, outages, faults) follows the declaration.
 * A fault's details go only to the log, under the request id; no stack trace or exception name reaches a client.
 */
public class ErrorResponses {

    private static final Logger LOG = Logger.getLogger(ErrorResponses.class);

    /** Paths whose answers are for programs; the authorization and end-session endpoints among them are pages. */
    private static final List<String> MACHINE_PATHS = List.of("/api", "/oauth", "/q", "/.well-known");
    private static final List<String> OAUTH_PAGES = List.of("/oauth/authorize", "/oauth/logout");

    private final OAuthErrorWriter oauth;
    private final ProblemWriter problems;
    private final PageErrorWriter pages;

    ErrorResponses(OAuthErrorWriter oauth, ProblemWriter problems, PageErrorWriter pages) {
        this.oauth = oauth;
        this.problems = problems;
        this.pages = pages;
    }

    // One mapper per type, all to answer(): Quarkus picks the mapper of the most specific type, and its own (Jackson's,
    // Hibernate Validator's, the HTTP errors') would win over a single Throwable mapper for those types.

    @ServerExceptionMapper
    public Uni<Response> oauth(OAuthException e, HttpServerRequest request, SimpleResourceInfo resource) {
        return answer(e, request, resource);
    }

    @ServerExceptionMapper
    public Uni<Response> problem(ProblemException e, HttpServerRequest request, SimpleResourceInfo resource) {
        return answer(e, request, resource);
    }

    @ServerExceptionMapper
    public Uni<Response> invalid(ConstraintViolationException e, HttpServerRequest request,
            SimpleResourceInfo resource) {
        return answer(e, request, resource);
    }

    @ServerExceptionMapper
    public Uni<Response> unreadable(MismatchedInputException e, HttpServerRequest request,
            SimpleResourceInfo resource) {
        return answer(e, request, resource);
    }

    @ServerExceptionMapper
    public Uni<Response> unreadable(JsonProcessingException e, HttpServerRequest request,
            SimpleResourceInfo resource) {
        return answer(e, request, resource);
    }

    @ServerExceptionMapper
    public Uni<Response> notFound(NotFoundException e, HttpServerRequest request, SimpleResourceInfo resource) {
        return answer(e, request, resource);
    }

    @ServerExceptionMapper
    public Uni<Response> notAllowed(NotAllowedException e, HttpServerRequest request, SimpleResourceInfo resource) {
        return answer(e, request, resource);
    }

    @ServerExceptionMapper
    public Uni<Response> http(WebApplicationException e, HttpServerRequest request, SimpleResourceInfo resource) {
        return answer(e, request, resource);
    }

    @ServerExceptionMapper
    public Uni<Response> unexpected(Throwable e, HttpServerRequest request, SimpleResourceInfo resource) {
        return answer(e, request, resource);
    }

    private Uni<Response> answer(Throwable failure, HttpServerRequest request, SimpleResourceInfo resource) {
        Class<?> matched = resource == null ? null : resource.getResourceClass();
        ErrorFormat declared = matched == null ? null : matched.getAnnotation(ErrorFormat.class);
        Format format = declared != null ? declared.value() : undeclared(failure, request);
        return switch (format) {
            case PAGE -> declared != null
                    ? pages.render(failure, request, matched)
                    : pages.render(failure, request, null).map(page -> withPolicy(page, request));
            case OAUTH -> Uni.createFrom().item(oauthFormat(failure, request));
            case PROBLEM -> Uni.createFrom().item(problemFormat(failure, request));
        };
    }

    private Response oauthFormat(Throwable failure, HttpServerRequest request) {
        if (failure instanceof OAuthException e) {
            return oauth.response(e);
        }
        if (failure instanceof ProblemException e) {
            return problems.problem(e);
        }
        if (failure instanceof ConstraintViolationException) {
            return oauth.invalidRequest(400, "The request is invalid.");
        }
        if (failure instanceof JsonProcessingException) {
            return oauth.invalidRequest(400, "The body is not valid JSON.");
        }
        int status = clientErrorStatus(failure);
        if (status > 0) {
            return oauth.invalidRequest(status, ProblemWriter.title(status) + ".");
        }
        return outage(failure, request) ? oauth.unavailable() : oauth.serverError();
    }

    private Response problemFormat(Throwable failure, HttpServerRequest request) {
        if (failure instanceof OAuthException e) {
            return oauth.response(e);
        }
        if (failure instanceof ProblemException e) {
            return problems.problem(e);
        }
        if (failure instanceof ConstraintViolationException e) {
            return problems.invalid(e);
        }
        if (failure instanceof JsonProcessingException) {
            return problems.unreadable();
        }
        int status = clientErrorStatus(failure);
        if (status > 0) {
            return problems.clientError(status);
        }
        return outage(failure, request) ? problems.unavailable() : problems.serverError(requestId(request));
    }

    /** The status of an HTTP-layer client error (4xx), or 0 when the failure is none. */
    private static int clientErrorStatus(Throwable failure) {
        if (failure instanceof WebApplicationException http && http.getResponse().getStatus() < 500) {
            return http.getResponse().getStatus();
        }
        return 0;
    }

    /**
     * Whether a server-side failure is an outage (503) rather than a fault (500). Either is logged under the request
     * id: an outage as a warning, a fault as an error with its trace.
     */
    private static boolean outage(Throwable failure, HttpServerRequest request) {
        if (Failures.isUnavailable(failure)) {
            LOG.warnf("Request %s: unavailable (database or overload): %s", requestId(request), failure.getMessage());
            return true;
        }
        LOG.errorf(failure, "Request %s failed", requestId(request));
        return false;
    }

    private static String requestId(HttpServerRequest request) {
        return request.response().headers().get(SecurityHeaders.REQUEST_ID);
    }

    /** The format of a failure outside any resource: by what the client is, and where it went. */
    private static Format undeclared(Throwable failure, HttpServerRequest request) {
        boolean unmatched = failure instanceof NotFoundException || failure instanceof NotAllowedException;
        if (unmatched && wantsPage(request.getHeader(HttpHeaders.ACCEPT), request.path())) {
            return Format.PAGE;
        }
        return request.path().startsWith("/oauth/") ? Format.OAUTH : Format.PROBLEM;
    }

    /** Most unmatched paths are outside the pages' own headers ({@link WebHeaders}): the same policy, set here. */
    private static Response withPolicy(Response page, HttpServerRequest request) {
        return request.response().headers().contains(WebHeaders.POLICY_HEADER)
                ? page
                : Response.fromResponse(page).header(WebHeaders.POLICY_HEADER, WebHeaders.POLICY).build();
    }

    static boolean wantsPage(String accept, String path) {
        return accept != null && accept.toLowerCase(Locale.ROOT).contains("text/html") && !isMachinePath(path);
    }

    private static boolean isMachinePath(String path) {
        if (path == null) {
            return true;
        }
        return !OAUTH_PAGES.contains(path)
                && MACHINE_PATHS.stream().anyMatch(prefix -> path.equals(prefix) || path.startsWith(prefix + "/"));
    }
}
