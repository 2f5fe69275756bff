package io.storeman.api;

import jakarta.annotation.security.PermitAll;
import io.smallrye.mutiny.Uni;
import io.storeman.common.ErrorFormat;
import io.storeman.oauth.authorize.AuthorizedApplications;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The applications holding tokens for the account, and their revocation. */
@ErrorFormat(ErrorFormat.Format.PROBLEM)
@Path("/api/v1/authorized_applications")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Account")
@SecurityRequirement(name = "account")
@PermitAll
public class AuthorizedApplicationResource {

    private final AccountAccess accounts;
    private final AuthorizedApplications authorizations;

    AuthorizedApplicationResource(AccountAccess accounts, AuthorizedApplications authorizations) {
        this.accounts = accounts;
        this.authorizations = authorizations;
    }

    /** An application that can act for the account, with the union of the scopes it holds. */
    public record AuthorizedApplicationView(String clientId, String name, String scopes, Instant lastUsedAt) {

        static AuthorizedApplicationView of(AuthorizedApplications.Authorization authorization) {
            return new AuthorizedApplicationView(authorization.application().clientId,
                    authorization.application().name, authorization.scopes().toString(),
                    authorization.lastUsedAt());
        }
    }

    @GET
    @Operation(summary = "Applications holding live tokens for this account")
    public Uni<List<AuthorizedApplicationView>> list(@Context HttpServerRequest request) {
        return accounts.authenticate(request)
                .chain(caller -> authorizations.list(caller.user().id))
                .map(list -> list.stream().map(AuthorizedApplicationView::of).toList());
    }

    @DELETE
    @Path("/{client_id}")
    @Operation(summary = "Revoke every token the application holds for this account, at once")
    @APIResponse(responseCode = "204", description = "Revoked")
    @APIResponse(responseCode = "404", description = "The application holds no token for this account")
    public Uni<Response> revoke(@Context HttpServerRequest request, @PathParam("client_id") String clientId) {
        return accounts.authenticate(request)
                .chain(caller -> authorizations.revoke(caller.user().id, clientId))
                .map(done -> Response.noContent().build());
    }
}
