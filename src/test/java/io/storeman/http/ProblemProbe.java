package io.storeman.http;

import io.storeman.common.ErrorFormat;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.Path;

/** Declares PROBLEM at a path under /oauth (test only). */
@ErrorFormat(ErrorFormat.Format.PROBLEM)
@PermitAll
@Path("/oauth/error-test/problem")
public class ProblemProbe extends ErrorProbe {
}
