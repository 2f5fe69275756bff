package io.storeman.account;

import io.smallrye.mutiny.Uni;
import io.storeman.common.ProblemException;
import io.storeman.oauth.Scope;
import io.storeman.security.Caller;
import io.storeman.security.RequiresScope;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.Instant;

@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
public class UserResource {

    /** Something@something.tld, no spaces: deliverability is the mail server's business. */
    public static final String EMAIL_PATTERN = "^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$";

    private final UserService service;
    private final Profiles profiles;
    private final Caller caller;

    UserResource(UserService service, Profiles profiles, Caller caller) {
        this.service = service;
        this.profiles = profiles;
        this.caller = caller;
    }

    public record CreateUserRequest(
            @NotBlank @Size(max = 254) @Pattern(regexp = EMAIL_PATTERN, message = "must be an e-mail address")
            String email,
            @NotNull @Size(min = 8, max = 1024) String password) {
    }

    public record UserView(Long id, String email, Instant createdAt) {
        static UserView of(User user) {
            return new UserView(user.id, user.email, user.createdAt);
        }
    }

    @POST
    @Path("/users")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<Response> register(@Valid @NotNull CreateUserRequest request) {
        return service.register(request.email(), request.password())
                .map(user -> Response.created(URI.create("/api/v1/me")).entity(UserView.of(user)).build());
    }

    @GET
    @Path("/me")
    @RequiresScope(Scope.PUBLIC)
    public Uni<UserView> me() {
        return profiles.find(caller.userId())
                .onItem().ifNull().failWith(ProblemException::notFound);
    }
}
