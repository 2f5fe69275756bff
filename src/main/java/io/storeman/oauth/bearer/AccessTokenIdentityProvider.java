package io.storeman.oauth.bearer;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.storeman.oauth.OAuthError;
import io.storeman.oauth.OAuthException;
import io.storeman.oauth.revoke.RevocationList;
import io.storeman.oauth.token.AccessToken;
import io.storeman.oauth.token.AccessTokenVerifier;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Turns a Bearer token into a {@link SecurityIdentity}, checking in this order: signature and claims
 * ({@link AccessTokenVerifier}), this instance's revocation list is current (else 503, docs/security.md D8), the token
 * is not revoked. The token's scopes become the identity's permissions (docs/security.md A3), which
 * {@code @PermissionsAllowed} checks next. Every step is in memory, so it runs on the calling thread.
 */
@ApplicationScoped
public class AccessTokenIdentityProvider implements IdentityProvider<BearerTokenRequest> {

    /** The identity's attribute holding the verified {@link AccessToken}, read by {@link Caller}. */
    static final String ACCESS_TOKEN = "storeman.access-token";

    private final AccessTokenVerifier verifier;
    private final RevocationList revocations;

    AccessTokenIdentityProvider(AccessTokenVerifier verifier, RevocationList revocations) {
        this.verifier = verifier;
        this.revocations = revocations;
    }

    @Override
    public Class<BearerTokenRequest> getRequestType() {
        return BearerTokenRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(BearerTokenRequest request, AuthenticationRequestContext context) {
        try {
            return Uni.createFrom().item(identity(check(request.token())));
        } catch (OAuthException e) {
            return Uni.createFrom().failure(new AuthenticationFailedException(e));
        }
    }

    private AccessToken check(String presented) {
        AccessToken token = verifier.verify(presented);
        if (!revocations.isCurrent()) {
            throw OAuthError.TEMPORARILY_UNAVAILABLE.exception("Token revocation status cannot be confirmed.");
        }
        if (revocations.isRevoked(token)) {
            throw OAuthError.INVALID_TOKEN.exception("The access token has been revoked.");
        }
        return token;
    }

    private static SecurityIdentity identity(AccessToken token) {
        QuarkusSecurityIdentity.Builder identity = QuarkusSecurityIdentity.builder()
                .setPrincipal(new QuarkusPrincipal(token.subject()))
                .addAttribute(ACCESS_TOKEN, token);
        for (String scope : token.scopes().values()) {
            identity.addPermissionAsString(scope);
        }
        return identity.build();
    }
}
