package io.storeman.web;

import jakarta.annotation.security.PermitAll;
import io.smallrye.mutiny.Uni;
import io.storeman.common.ErrorFormat;
import io.storeman.session.WebSessions;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.net.URI;

/**
 * {@code /}: the bare address someone types. It has no page of its own; it sends the browser to its account when it
 * is signed in, else to the sign-in page. The answer depends on the session cookie, so no cache keeps it.
 */
@ErrorFormat(ErrorFormat.Format.PAGE)
@Path("/")
@PermitAll
public class RootPage {

    private final WebSessions sessions;

    RootPage(WebSessions sessions) {
        this.sessions = sessions;
    }

    @GET
    public Uni<Response> enter(@Context HttpServerRequest request) {
        return sessions.find(request).map(signedIn -> Response
                .seeOther(signedIn == null ? WebForms.signInPage(null, null) : URI.create(WebForms.ACCOUNT))
                .header(HttpHeaders.CACHE_CONTROL, "no-store")
                .build());
    }
}
