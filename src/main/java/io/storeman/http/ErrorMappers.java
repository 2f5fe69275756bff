package io.storeman.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import io.storeman.common.Failures;
import io.storeman.common.Problem;
import io.storeman.common.ProblemException;
import io.storeman.oauth.OAuthError;
import io.storeman.oauth.OAuthErrorMapper;
import io.storeman.oauth.OAuthMetrics;
import io.storeman.security.SecurityHeaders;
import io.vertx.core.http.HttpServerRequest;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import java.util.TreeMap;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Renders every failure that is not an {@code OAuthException}: validation and client errors as problem documents,
 * a database outage as 503 with {@code Retry-After}, and anything else as a bare 500 whose details go only to the
 * log, under the request id. No exception text, class name or stack trace reaches a client.
 */
public class ErrorMappers {

    private static final Logger LOG = Logger.getLogger(ErrorMappers.class);
    private static final String RETRY_AFTER_SECONDS = "5";
    /**
     * The account API's challenge: HTTP Basic credentials are what it takes, but a {@code Basic} challenge would make a
     * browser prompt for them and then send them with every request to this host, other sites' forms included.
     * Browsers prompt for no scheme they do not know; curl, httpie and other clients send Basic unasked.
     */
    private static final String ACCOUNT_CHALLENGE = "Storeman-Basic realm=\"storeman\"";

    private final OAuthMetrics metrics;

    ErrorMappers(OAuthMetrics metrics) {
        this.metrics = metrics;
    }

    @ServerExceptionMapper
    public Response problem(ProblemException e) {
        Response.ResponseBuilder response = problemResponse(e.problem());
        if (e.challenge()) {
            response.header(HttpHeaders.WWW_AUTHENTICATE, ACCOUNT_CHALLENGE);
        }
        if (e.retryAfter() != null) {
            response.header(HttpHeaders.RETRY_AFTER, e.retryAfter());
        }
        return response.build();
    }

    @ServerExceptionMapper
    public Response invalid(ConstraintViolationException e) {
        Map<String, String> errors = new TreeMap<>();
        for (ConstraintViolation<?> violation : e.getConstraintViolations()) {
            errors.putIfAbsent(field(violation), violation.getMessage());
        }
        return problemResponse(new Problem("about:blank", "Bad Request", 400, "The request is invalid.", errors))
                .build();
    }

    @ServerExceptionMapper
    public Response unreadable(MismatchedInputException e, HttpServerRequest request) {
        return badJson(request);
    }

    @ServerExceptionMapper
    public Response unreadable(JsonProcessingException e, HttpServerRequest request) {
        return badJson(request);
    }

    @ServerExceptionMapper
    public Response http(WebApplicationException e, HttpServerRequest request) {
        int status = e.getResponse().getStatus();
        if (status >= 500) {
            return unexpected(e, request);
        }
        String title = Response.Status.fromStatusCode(status) == null
                ? "Error"
                : Response.Status.fromStatusCode(status).getReasonPhrase();
        if (isOAuthPath(request)) {
            return oauthError(status, OAuthError.INVALID_REQUEST.code(), title + ".");
        }
        return problemResponse(Problem.of(status, title, title + ".")).build();
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable e, HttpServerRequest request) {
        String requestId = request.response().headers().get(SecurityHeaders.REQUEST_ID);
        if (Failures.isUnavailable(e)) {
            LOG.warnf("Request %s: unavailable (database or overload): %s", requestId, e.getMessage());
            if (isOAuthPath(request)) {
                metrics.tokenError(OAuthError.TEMPORARILY_UNAVAILABLE);
                return Response.fromResponse(oauthError(503, OAuthError.TEMPORARILY_UNAVAILABLE.code(),
                        OAuthError.TEMPORARILY_UNAVAILABLE.defaultDescription()))
                        .header("Retry-After", RETRY_AFTER_SECONDS).build();
            }
            return problemResponse(Problem.of(503, "Service Unavailable", "Retry later."))
                    .header("Retry-After", RETRY_AFTER_SECONDS).build();
        }
        LOG.errorf(e, "Request %s failed", requestId);
        if (isOAuthPath(request)) {
            return oauthError(500, OAuthError.SERVER_ERROR.code(), OAuthError.SERVER_ERROR.defaultDescription());
        }
        return problemResponse(Problem.of(500, "Internal Server Error", "Request " + requestId + " failed."))
                .build();
    }

    private Response badJson(HttpServerRequest request) {
        if (isOAuthPath(request)) {
            return oauthError(400, OAuthError.INVALID_REQUEST.code(), "The body is not valid JSON.");
        }
        return problemResponse(Problem.of(400, "Bad Request", "The body is not valid JSON of the expected shape."))
                .build();
    }

    private static boolean isOAuthPath(HttpServerRequest request) {
        return request.path().startsWith("/oauth/");
    }

    private static Response oauthError(int status, String code, String description) {
        return Response.status(status)
                .type("application/json")
                .header(HttpHeaders.CACHE_CONTROL, "no-store")
                .entity(new OAuthErrorMapper.ErrorBody(code, description))
                .build();
    }

    private static Response.ResponseBuilder problemResponse(Problem problem) {
        return Response.status(problem.status()).type(Problem.MEDIA_TYPE).entity(problem);
    }

    private static String field(ConstraintViolation<?> violation) {
        String path = violation.getPropertyPath().toString();
        String name = path.substring(path.lastIndexOf('.') + 1);
        return name.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase();
    }
}
