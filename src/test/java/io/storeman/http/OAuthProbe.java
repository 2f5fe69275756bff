package io.storeman.http;

import io.storeman.common.ErrorFormat;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.Path;

/** Declares OAUTH at a path outside /oauth (test only). */
@ErrorFormat(ErrorFormat.Format.OAUTH)
@PermitAll
@Path("/error-test/oauth")
public class OAuthProbe extends ErrorProbe {
}
