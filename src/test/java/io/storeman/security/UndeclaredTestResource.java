package io.storeman.security;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;

/**
 * A resource method that declares no requirement, as a forgetful change would add: deny by default must refuse it
 * (docs/security.md A2). It exists only in the tests' build.
 */
@Path("/api/v1/test-undeclared")
public class UndeclaredTestResource {

    @GET
    public String undeclared() {
        return "this must never be served";
    }
}
