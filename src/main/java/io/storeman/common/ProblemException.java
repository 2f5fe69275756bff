package io.storeman.common;

import java.util.Map;

/** A failure of the account or resource API, rendered as {@code application/problem+json}. */
public final class ProblemException extends RuntimeException {

    private final Problem problem;
    private final boolean challenge;
    /** Seconds for {@code Retry-After}, or null. */
    private final Long retryAfter;

    private ProblemException(Problem problem, boolean challenge) {
        this(problem, challenge, null);
    }

    private ProblemException(Problem problem, boolean challenge, Long retryAfter) {
        super(problem.title() + ": " + problem.detail(), null, false, false);
        this.problem = problem;
        this.challenge = challenge;
        this.retryAfter = retryAfter;
    }

    public static ProblemException notFound() {
        return new ProblemException(Problem.of(404, "Not Found", "No such resource."), false);
    }

    public static ProblemException conflict(String detail) {
        return new ProblemException(Problem.of(409, "Conflict", detail), false);
    }

    /** A 400 naming the field at fault. */
    public static ProblemException invalid(String field, String message) {
        return new ProblemException(new Problem("about:blank", "Bad Request", 400, "The request is invalid.",
                Map.of(field, message)), false);
    }

    /** A 400 naming every field at fault, each with its message. */
    public static ProblemException invalid(Map<String, String> errors) {
        return new ProblemException(new Problem("about:blank", "Bad Request", 400, "The request is invalid.",
                Map.copyOf(errors)), false);
    }

    /** A 403: the caller is known but may not do this. */
    public static ProblemException forbidden(String detail) {
        return new ProblemException(Problem.of(403, "Forbidden", detail), false);
    }

    /** A 415: the body, or the lack of one, is not of the type the endpoint takes. */
    public static ProblemException unsupportedMediaType(String detail) {
        return new ProblemException(Problem.of(415, "Unsupported Media Type", detail), false);
    }

    /** A 401 asking for the account's own credentials (with a challenge no browser prompts for). */
    public static ProblemException unauthenticated() {
        return new ProblemException(Problem.of(401, "Unauthorized",
                "Sign in with your e-mail and password (HTTP Basic)."), true);
    }

    /** A 429: the client may try again in {@code retryAfterSeconds}. */
    public static ProblemException tooManyRequests(String detail, long retryAfterSeconds) {
        return new ProblemException(Problem.of(429, "Too Many Requests", detail), false, retryAfterSeconds);
    }

    public Problem problem() {
        return problem;
    }

    public boolean challenge() {
        return challenge;
    }

    public Long retryAfter() {
        return retryAfter;
    }
}
