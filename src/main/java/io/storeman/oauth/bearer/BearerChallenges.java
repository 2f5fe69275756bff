package io.storeman.oauth.bearer;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.PermissionsAllowed;
import io.quarkus.security.UnauthorizedException;
import io.storeman.oauth.OAuthError;
import io.storeman.oauth.OAuthErrorWriter;
import io.storeman.oauth.OAuthException;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Response;
import java.lang.reflect.Method;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Quarkus Security's refusals as RFC 6750 §3 answers (docs/security.md A4): no token is a bare
 * {@code Bearer realm} challenge, a bad, expired or revoked token {@code invalid_token}, a revocation list out of
 * touch 503 (D8), a missing scope 403 {@code insufficient_scope} naming the scope the method needs.
 */
public class BearerChallenges {

    private final OAuthErrorWriter errors;

    BearerChallenges(OAuthErrorWriter errors) {
        this.errors = errors;
    }

    /** The token was refused by {@link BearerAuthenticationMechanism} or {@link AccessTokenIdentityProvider}. */
    @ServerExceptionMapper
    public Response refused(AuthenticationFailedException e) {
        return render(e.getCause() instanceof OAuthException refusal ? refusal : OAuthError.INVALID_TOKEN.exception());
    }

    /** A method that needs a token was called without one. */
    @ServerExceptionMapper
    public Response missing(UnauthorizedException e) {
        return render(OAuthException.bearerTokenMissing());
    }

    /** A valid token without the permission (scope) the method needs, or a method that declares none (A2). */
    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e, ResourceInfo resource) {
        String scope = requiredScope(resource);
        return render(scope == null
                ? OAuthError.INSUFFICIENT_SCOPE.exception()
                : OAuthException.insufficientScope(scope));
    }

    /** The one place this class turns an error into a response. */
    private Response render(OAuthException e) {
        return errors.response(e);
    }

    /** The scope of the method's {@code @PermissionsAllowed}, else of its class's; null without one. */
    private static String requiredScope(ResourceInfo resource) {
        Method method = resource == null ? null : resource.getResourceMethod();
        if (method == null) {
            return null;
        }
        PermissionsAllowed allowed = method.getAnnotation(PermissionsAllowed.class);
        if (allowed == null) {
            allowed = method.getDeclaringClass().getAnnotation(PermissionsAllowed.class);
        }
        return allowed == null ? null : String.join(" ", allowed.value());
    }
}
