package io.storeman.http;

import io.storeman.oauth.OAuthError;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;

/**
 * The same failures under three declared formats (test only): its subclasses sit at paths that suggest another
 * format than the one they declare, so that {@link ErrorResponsesTest} shows the declaration deciding.
 */
@PermitAll
public abstract class ErrorProbe {

    /** Words of the failures that must never reach a client. */
    static final String SECRET = "probe-secret-detail";

    public record Payload(String name) {
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Path("fault")
    public String fault() {
        throw new IllegalStateException(SECRET + " at io.storeman.Hidden");
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Path("outage")
    public String outage() {
        throw new IllegalStateException(SECRET, new ConnectException("Connection refused: " + SECRET));
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Path("timeout-message")
    public String timeoutMessage() {
        throw new IllegalStateException("Timeout of " + SECRET);
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Path("io")
    public String io() {
        throw new UncheckedIOException(new IOException(SECRET));
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Path("missing")
    public String missing() {
        throw new NotFoundException(SECRET);
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Path("oauth-error")
    public String oauthError() {
        throw OAuthError.INVALID_GRANT.exception();
    }

    @POST
    @Path("json")
    @Consumes(MediaType.APPLICATION_JSON)
    public String json(Payload payload) {
        return payload.name();
    }
}
