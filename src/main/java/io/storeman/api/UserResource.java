package io.storeman.api;

import jakarta.annotation.security.PermitAll;
import io.quarkus.security.PermissionsAllowed;
import io.smallrye.mutiny.Uni;
import io.storeman.account.User;
import io.storeman.account.UserProfiles;
import io.storeman.account.UserService;
import io.storeman.common.ErrorFormat;
import io.storeman.common.ProblemException;
import io.storeman.oauth.Scope;
import io.storeman.oauth.bearer.Caller;
import io.vertx.core.http.HttpServerRequest;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.Instant;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@ErrorFormat(ErrorFormat.Format.PROBLEM)
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Account")
public class UserResource {

    private final UserService service;
    private final UserProfiles profiles;
    private final Caller caller;
    private final AccountAccess accounts;

    UserResource(UserService service, UserProfiles profiles, Caller caller, AccountAccess accounts) {
        this.service = service;
        this.profiles = profiles;
        this.caller = caller;
        this.accounts = accounts;
    }

    /** Both fields are checked by {@link UserService#register}, as on the sign-up page. */
    public record CreateUserRequest(String email, String password) {
    }

    public record ChangePasswordRequest(String currentPassword, String newPassword) {
    }

    public record UserView(Long id, String email, Instant createdAt) {
        static UserView of(User user) {
            return new UserView(user.id, user.email, user.createdAt);
        }

        static UserView of(UserProfiles.Profile profile) {
            return new UserView(profile.id(), profile.email(), profile.createdAt());
        }
    }

    @POST
    @Path("/users")
    @PermitAll
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Create an account")
    @APIResponse(responseCode = "201", content = @Content(schema = @Schema(implementation = UserView.class)))
    @APIResponse(responseCode = "400", description = "Bad e-mail or password (application/problem+json)")
    @APIResponse(responseCode = "409", description = "The e-mail is taken")
    @APIResponse(responseCode = "429", description = "Too many sign-ups from this address (Retry-After)")
    public Uni<Response> register(@NotNull CreateUserRequest request) {
        return service.register(request.email(), request.password())
                .map(user -> Response.created(URI.create("/api/v1/me")).entity(UserView.of(user)).build());
    }

    @GET
    @Path("/me")
    @PermissionsAllowed(Scope.Names.PUBLIC)
    @Operation(summary = "The signed-in user")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = UserView.class)))
    public Uni<UserView> me() {
        // One operator: the hottest call of the API, and each Mutiny operator captures the request's context.
        return profiles.find(caller.userId()).map(profile -> {
            if (profile == null) {
                throw ProblemException.notFound();
            }
            return UserView.of(profile);
        });
    }

    @PUT
    @Path("/me/password")
    @PermitAll
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Change the password; revokes every token of the account and ends its other web sessions")
    @SecurityRequirement(name = "account")
    @APIResponse(responseCode = "204", description = "Changed")
    @APIResponse(responseCode = "400", description = "Wrong current password or unacceptable new one")
    @APIResponse(responseCode = "401", description = "Not signed in")
    public Uni<Response> changePassword(@Context HttpServerRequest request,
            @NotNull ChangePasswordRequest body) {
        return accounts.authenticate(request)
                .chain(account -> service.changePassword(account.user(), body.currentPassword(),
                        body.newPassword(), account.sessionToken()))
                .map(done -> Response.noContent().build());
    }
}
