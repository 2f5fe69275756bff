package io.storeman.oauth;

import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Renders every {@link OAuthException}: RFC 6749 §5.2 bodies, RFC 6750 §3 challenges. */
public class OAuthErrorMapper {

    private final OAuthMetrics metrics;

    OAuthErrorMapper(OAuthMetrics metrics) {
        this.metrics = metrics;
    }

    static final String BEARER_REALM = "storeman";
    static final String BASIC_REALM = "oauth";

    @ServerExceptionMapper
    public Response map(OAuthException e) {
        OAuthError error = e.error();
        metrics.tokenError(error);
        Response.ResponseBuilder response = Response.status(error.status())
                .header(HttpHeaders.CACHE_CONTROL, "no-store")
                .header("Pragma", "no-cache");
        if (e.credentialsMissing()) {
            return response.header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"" + BEARER_REALM + "\"").build();
        }
        if (error.isBearerError()) {
            response.header(HttpHeaders.WWW_AUTHENTICATE, bearerChallenge(e));
        } else if (e.basicChallenge()) {
            response.header(HttpHeaders.WWW_AUTHENTICATE, "Basic realm=\"" + BASIC_REALM + "\"");
        }
        if (e.retryAfterSeconds() > 0) {
            response.header("Retry-After", Long.toString(e.retryAfterSeconds()));
        } else if (error == OAuthError.TEMPORARILY_UNAVAILABLE) {
            response.header("Retry-After", "5");
        }
        return response.type(MediaType.APPLICATION_JSON_TYPE).entity(ErrorBody.of(e)).build();
    }

    private static String bearerChallenge(OAuthException e) {
        StringBuilder challenge = new StringBuilder("Bearer realm=\"").append(BEARER_REALM)
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
