package io.storeman.http;

import io.storeman.common.ErrorFormat;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.Path;

/** Declares PAGE at a path under /api (test only). */
@ErrorFormat(ErrorFormat.Format.PAGE)
@PermitAll
@Path("/api/error-test/page")
public class PageProbe extends ErrorProbe {
}
