package io.storeman.oauth;

import io.storeman.common.ErrorHeaders;
import jakarta.inject.Singleton;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * Writes OAuth errors: RFC 6749 §5.2 bodies and RFC 6750 §3 challenges, never cached ({@code Cache-Control:
 * no-store}, {@code Pragma: no-cache}, docs/security.md N11, E2). Every {@link OAuthException} is written here, and
 * every other failure of an endpoint declaring {@code ErrorFormat.Format.OAUTH} as one of these codes.
 */
@Singleton
public class OAuthErrorWriter {

    private static final String BASIC_SCHEME = "Basic";
    /** RFC 9449 §8: the header carrying a server nonce. */
    public static final String DPOP_NONCE = "DPoP-Nonce";

    private final OAuthMetrics metrics;

    OAuthErrorWriter(OAuthMetrics metrics) {
        this.metrics = metrics;
    }

    /** The answer to {@code e}, counted in the error metrics: its status, challenge, {@code Retry-After} and body. */
    public Response response(OAuthException e) {
        OAuthError error = e.error();
        metrics.tokenError(error);
        if (e.dpopAlgorithms() != null && error != OAuthError.TEMPORARILY_UNAVAILABLE) {
            return dpopRefusal(e);
        }
        Response.ResponseBuilder response = noStore(Response.status(error.status()));
        if (e.dpopNonce() != null) {
            response.header(DPOP_NONCE, e.dpopNonce());
        }
        if (e.credentialsMissing()) {
            return response.header(HttpHeaders.WWW_AUTHENTICATE, ErrorHeaders.bearerChallenge()).build();
        }
        if (error.isBearerError()) {
            response.header(HttpHeaders.WWW_AUTHENTICATE, bearerChallenge(e));
        } else if (e.basicChallenge()) {
            response.header(HttpHeaders.WWW_AUTHENTICATE, ErrorHeaders.basicChallenge(BASIC_SCHEME));
        }
        if (e.retryAfterSeconds() > 0) {
            response.header(ErrorHeaders.RETRY_AFTER, e.retryAfterSeconds());
        } else if (error == OAuthError.TEMPORARILY_UNAVAILABLE) {
            response.header(ErrorHeaders.RETRY_AFTER, ErrorHeaders.OUTAGE_RETRY_AFTER_SECONDS);
        }
        return response.type(MediaType.APPLICATION_JSON_TYPE).entity(ErrorBody.of(e)).build();
    }

    /**
     * A failure that is no {@link OAuthException} (an HTTP-layer error, a body that is not JSON), written with the
     * given status as {@code invalid_request}.
     */
    public Response invalidRequest(int status, String description) {
        return noStore(Response.status(status)).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(new ErrorBody(OAuthError.INVALID_REQUEST.code(), description))
                .build();
    }

    /** An outage or an overload: {@code temporarily_unavailable} with {@code Retry-After} (docs/security.md D7). */
    public Response unavailable() {
        return response(OAuthError.TEMPORARILY_UNAVAILABLE.exception());
    }

    /** A fault of ours: {@code server_error}, its details only in the log. */
    public Response serverError() {
        return noStore(Response.status(OAuthError.SERVER_ERROR.status())).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(new ErrorBody(OAuthError.SERVER_ERROR.code(), OAuthError.SERVER_ERROR.defaultDescription()))
                .build();
    }

    private static Response.ResponseBuilder noStore(Response.ResponseBuilder response) {
        return response.header(ErrorHeaders.CACHE_CONTROL, ErrorHeaders.NO_STORE)
                .header(ErrorHeaders.PRAGMA, ErrorHeaders.NO_CACHE);
    }

    /**
     * A refusal of a DPoP-scheme API request (RFC 9449 §7.1): {@code WWW-Authenticate: DPoP} with the accepted
     * algorithms and the error; 401 for a bad token or proof, 403 for a missing scope.
     */
    private static Response dpopRefusal(OAuthException e) {
        int status = e.error() == OAuthError.INSUFFICIENT_SCOPE ? 403 : 401;
        StringBuilder challenge = new StringBuilder("DPoP algs=\"").append(e.dpopAlgorithms()).append('"');
        if (!e.credentialsMissing()) {
            challenge.append(", error=\"").append(e.error().code())
                    .append("\", error_description=\"").append(e.description()).append('"');
        }
        if (e.requiredScope() != null) {
            challenge.append(", scope=\"").append(e.requiredScope()).append('"');
        }
        Response.ResponseBuilder response = noStore(Response.status(status));
        if (e.dpopNonce() != null) {
            response.header(DPOP_NONCE, e.dpopNonce());
        }
        return response.header(HttpHeaders.WWW_AUTHENTICATE, challenge.toString())
                .type(MediaType.APPLICATION_JSON_TYPE).entity(ErrorBody.of(e)).build();
    }

    private static String bearerChallenge(OAuthException e) {
        StringBuilder challenge = new StringBuilder("Bearer realm=\"").append(ErrorHeaders.BEARER_REALM)
                .append("\", error=\"").append(e.error().code())
                .append("\", error_description=\"").append(e.description()).append('"');
        if (e.requiredScope() != null) {
            challenge.append(", scope=\"").append(e.requiredScope()).append('"');
        }
        return challenge.toString();
    }

    /** The RFC 6749 §5.2 error body. */
    public record ErrorBody(String error, String errorDescription) {
        static ErrorBody of(OAuthException e) {
            return new ErrorBody(e.error().code(), e.description());
        }
    }
}
