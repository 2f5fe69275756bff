package io.storeman.http;

import io.storeman.common.ErrorFormat;
import jakarta.ws.rs.Path;

/** Declares OAUTH at a path outside /oauth (test only). */
@ErrorFormat(ErrorFormat.Format.OAUTH)
@Path("/error-test/oauth")
public class OAuthProbe extends ErrorProbe {
}
