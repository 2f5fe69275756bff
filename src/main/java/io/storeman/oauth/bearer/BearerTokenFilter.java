package io.storeman.oauth.bearer;

import io.storeman.oauth.OAuthError;
import io.storeman.oauth.OAuthException;
import io.storeman.oauth.revoke.RevocationList;
import io.storeman.oauth.token.AccessToken;
import io.storeman.oauth.token.AccessTokenVerifier;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.HttpHeaders;
import java.lang.reflect.Method;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * The one Bearer check of the API (RFC 6750), in this order: a token is present, its signature and claims verify,
 * this instance's revocation list is current (else 503, docs/security.md D8), the token is not revoked, and it
 * carries the scope the method needs.
 */
public class BearerTokenFilter {

    private static final String BEARER = "bearer ";

    private final AccessTokenVerifier verifier;
    private final RevocationList revocations;
    private final Caller caller;

    BearerTokenFilter(AccessTokenVerifier verifier, RevocationList revocations, Caller caller) {
        this.verifier = verifier;
        this.revocations = revocations;
        this.caller = caller;
    }

    @ServerRequestFilter
    public void authenticate(ContainerRequestContext request, ResourceInfo resource) {
        RequiresScope required = requiredScope(resource);
        Method method = resource.getResourceMethod();
        if (required == null && (method == null || !method.isAnnotationPresent(RequiresToken.class))) {
            return;
        }
        String authorization = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (authorization == null || authorization.isBlank()) {
            throw OAuthException.bearerTokenMissing();
        }
        if (authorization.length() <= BEARER.length()
                || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            throw OAuthError.INVALID_TOKEN.exception("The Authorization header must carry a Bearer token.");
        }
        AccessToken token = verifier.verify(authorization.substring(BEARER.length()).trim());
        if (!revocations.isCurrent()) {
            throw OAuthError.TEMPORARILY_UNAVAILABLE.exception("Token revocation status cannot be confirmed.");
        }
        if (revocations.isRevoked(token)) {
            throw OAuthError.INVALID_TOKEN.exception("The access token has been revoked.");
        }
        if (required != null && !token.scopes().contains(required.value())) {
            throw OAuthException.insufficientScope(required.value().value());
        }
        caller.set(token);
    }

    private static RequiresScope requiredScope(ResourceInfo resource) {
        Method method = resource.getResourceMethod();
        RequiresScope onMethod = method == null ? null : method.getAnnotation(RequiresScope.class);
        if (onMethod != null || resource.getResourceClass() == null) {
            return onMethod;
        }
        return resource.getResourceClass().getAnnotation(RequiresScope.class);
    }
}
