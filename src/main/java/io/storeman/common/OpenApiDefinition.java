package io.storeman.common;

import jakarta.ws.rs.core.Application;
import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.info.Info;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;
import org.eclipse.microprofile.openapi.annotations.security.SecuritySchemes;

/**
 * The OpenAPI document's header and its ways to authenticate (served at /q/openapi). As an {@link Application} with
 * no classes listed, it leaves every resource in place.
 */
@OpenAPIDefinition(info = @Info(title = "Storeman auth", version = "1",
        description = "OAuth 2.0 authorization server and the scoped Storeman API. Bearer access tokens are RFC 9068 "
                + "JWTs; scopes: public, read_items, write_items, read_spaces, write_spaces."))
@SecuritySchemes({
    @SecurityScheme(securitySchemeName = "bearer", type = SecuritySchemeType.HTTP, scheme = "bearer",
            bearerFormat = "JWT", description = "An access token from POST /oauth/token"),
    @SecurityScheme(securitySchemeName = "account", type = SecuritySchemeType.HTTP, scheme = "basic",
            description = "The account's own e-mail and password, sent unasked (the 401 challenges with "
                    + "Storeman-Basic, which browsers do not prompt for). A change (POST, PUT, PATCH, a DELETE with "
                    + "a body) needs Content-Type: application/json, also without a body (else 415); a request with "
                    + "an Origin other than the server's is refused (403)."),
    @SecurityScheme(securitySchemeName = "client", type = SecuritySchemeType.HTTP, scheme = "basic",
            description = "client_id and client_secret (or in the body)")
})
public class OpenApiDefinition extends Application {
}
