package io.storeman.oauth.endpoint;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.security.PermissionsAllowed;
import io.smallrye.mutiny.Uni;
import io.storeman.account.User;
import io.storeman.account.UserRepository;
import io.storeman.application.ClientCache;
import io.storeman.common.ErrorFormat;
import io.storeman.oauth.OAuthError;
import io.storeman.oauth.Scope;
import io.storeman.oauth.bearer.Caller;
import io.storeman.oauth.token.AccessToken;
import io.storeman.oauth.token.Subjects;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code GET} and {@code POST /userinfo} (OpenID Connect Core 1.0 §5.3): the signed-in user's claims as the token's
 * client may see them (docs/security.md O7). The Bearer token is checked like any API call's (signature, expiry,
 * revocation list, A1-A4) and must carry {@code openid}; the answer is the {@code sub} the client's ID tokens carry
 * (public or pairwise, O11), and the e-mail only with the {@code email} scope. The token is read from the
 * {@code Authorization} header only (N24): a form body's {@code access_token} is not read, so a request that sends
 * only that is answered as one without a token.
 */
@ErrorFormat(ErrorFormat.Format.OAUTH)
@Path(UserInfoResource.PATH)
@Tag(name = "OpenID Connect")
public class UserInfoResource {

    static final String PATH = "/userinfo";

    private final Caller caller;
    private final ClientCache clients;
    private final UserRepository users;
    private final Subjects subjects;

    UserInfoResource(Caller caller, ClientCache clients, UserRepository users, Subjects subjects) {
        this.caller = caller;
        this.clients = clients;
        this.users = users;
        this.subjects = subjects;
    }

    /**
     * The claims of Core 1.0 §5.1 that Storeman holds. Storeman never proves that someone owns an address, so
     * {@code email_verified} is always false; both e-mail claims are absent without the {@code email} scope.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record UserInfo(String sub, String email, Boolean emailVerified) {
    }

    @GET
    @PermissionsAllowed(Scope.Names.OPENID)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "The signed-in user's claims (OpenID Connect UserInfo)", description = "Needs an access "
            + "token with the openid scope in the Authorization header. sub always; email and email_verified "
            + "(always false) only with the email scope. A client's own token (client credentials) has no user: "
            + "403 insufficient_scope. A token whose user no longer exists: 401 invalid_token.")
    @APIResponse(responseCode = "200", description = "The claims; Cache-Control: no-store",
            content = @Content(schema = @Schema(implementation = UserInfo.class)))
    public Uni<Response> get() {
        return userInfo();
    }

    @POST
    @PermissionsAllowed(Scope.Names.OPENID)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "The signed-in user's claims (OpenID Connect UserInfo, POST)", description = "As GET. The "
            + "token goes in the Authorization header; an access_token in the body is not read (RFC 6750 §2.2 is "
            + "not supported), so a request sending only that is answered as one without a token.")
    @APIResponse(responseCode = "200", description = "The claims; Cache-Control: no-store",
            content = @Content(schema = @Schema(implementation = UserInfo.class)))
    public Uni<Response> post() {
        return userInfo();
    }

    private Uni<Response> userInfo() {
        AccessToken token = caller.token();
        long userId = caller.userId();
        return clients.find(token.clientId())
                .chain(client -> {
                    if (client == null) {
                        throw OAuthError.INVALID_TOKEN.exception("The access token's client no longer exists.");
                    }
                    return users.findById(userId).map(user -> claims(subjects.subject(client.application(),
                            userId), user, token));
                })
                .map(info -> TokenResource.noStore(Response.ok(info)));
    }

    private static UserInfo claims(String subject, User user, AccessToken token) {
        if (user == null) {
            throw OAuthError.INVALID_TOKEN.exception("The access token's user no longer exists.");
        }
        return token.scopes().contains(Scope.EMAIL)
                ? new UserInfo(subject, user.email, false)
                : new UserInfo(subject, null, null);
    }
}
