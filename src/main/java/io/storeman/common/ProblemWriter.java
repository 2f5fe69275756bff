package io.storeman.common;

import jakarta.inject.Singleton;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes the failures of endpoints declaring {@link ErrorFormat.Format#PROBLEM} as RFC 9457
 * {@code application/problem+json}. Only what is written here reaches the client: no exception text or class name.
 */
@Singleton
public class ProblemWriter {

    /**
     * The account API's scheme: it takes HTTP Basic credentials, but a {@code Basic} challenge would make a browser
     * prompt for them and then send them with every request to this host, other sites' forms included. Browsers
     * prompt for no scheme they do not know; curl, httpie and other clients send Basic unasked (docs/security.md X1).
     */
    static final String ACCOUNT_SCHEME = "Storeman-Basic";

    public Response problem(ProblemException e) {
        Response.ResponseBuilder response = response(e.problem());
        if (e.challenge()) {
            response.header(HttpHeaders.WWW_AUTHENTICATE, ErrorHeaders.basicChallenge(ACCOUNT_SCHEME));
        }
        if (e.retryAfter() != null) {
            response.header(ErrorHeaders.RETRY_AFTER, e.retryAfter());
        }
        return response.build();
    }

    /** A 400 naming each field at fault (snake_case, as the JSON has it) with its first message. */
    public Response invalid(ConstraintViolationException e) {
        Map<String, String> errors = new TreeMap<>();
        for (ConstraintViolation<?> violation : e.getConstraintViolations()) {
            errors.putIfAbsent(field(violation), violation.getMessage());
        }
        return response(new Problem("about:blank", "Bad Request", 400, "The request is invalid.", errors)).build();
    }

    public Response unreadable() {
        return response(Problem.of(400, "Bad Request", "The body is not valid JSON of the expected shape.")).build();
    }

    /** A client error the HTTP layer raised (404, 405, 406, 415, ...): its reason phrase, nothing else. */
    public Response clientError(int status) {
        String title = title(status);
        return response(Problem.of(status, title, title + ".")).build();
    }

    public Response unavailable() {
        return response(Problem.of(503, "Service Unavailable", "Retry later."))
                .header(ErrorHeaders.RETRY_AFTER, ErrorHeaders.OUTAGE_RETRY_AFTER_SECONDS)
                .build();
    }

    /** A fault of ours: the client learns only the request id under which the log holds the details. */
    public Response serverError(String requestId) {
        return response(Problem.of(500, "Internal Server Error", "Request " + requestId + " failed.")).build();
    }

    /** The reason phrase of a status, or "Error" for one without. */
    public static String title(int status) {
        Response.Status known = Response.Status.fromStatusCode(status);
        return known == null ? "Error" : known.getReasonPhrase();
    }

    private static Response.ResponseBuilder response(Problem problem) {
        return Response.status(problem.status()).type(Problem.MEDIA_TYPE).entity(problem);
    }

    private static String field(ConstraintViolation<?> violation) {
        String path = violation.getPropertyPath().toString();
        String name = path.substring(path.lastIndexOf('.') + 1);
        return name.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase();
    }
}
