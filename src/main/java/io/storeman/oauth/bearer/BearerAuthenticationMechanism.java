package io.storeman.oauth.bearer;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.quarkus.vertx.http.runtime.security.HttpCredentialTransport;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.smallrye.mutiny.Uni;
import io.storeman.common.ErrorHeaders;
import io.storeman.oauth.OAuthError;
import io.storeman.oauth.dpop.DpopVerifier;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;

/**
 * The API's only authentication mechanism (docs/security.md A1): it reads the Bearer token of the
 * {@code Authorization} header (RFC 6750 §2.1), or the DPoP-bound token with the request's proofs, method and path
 * (RFC 9449 §7.1, B6), and hands it to {@link AccessTokenIdentityProvider}. No header means
 * no identity (anonymous), which a protected method refuses with a bare challenge; another scheme is
 * {@code invalid_token}. Authentication is lazy ({@code quarkus.http.auth.proactive=false}): only a method that
 * needs an identity pays for it, so pages and OAuth endpoints never look at the header.
 */
@ApplicationScoped
public class BearerAuthenticationMechanism implements HttpAuthenticationMechanism {

    private static final String BEARER = "bearer ";
    private static final String DPOP = "dpop ";

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identityProviderManager) {
        String authorization = context.request().getHeader(HttpHeaders.AUTHORIZATION);
        if (authorization == null || authorization.isBlank()) {
            return Uni.createFrom().nullItem();
        }
        BearerTokenRequest request;
        if (authorization.length() > DPOP.length() && authorization.regionMatches(true, 0, DPOP, 0, DPOP.length())) {
            request = new BearerTokenRequest(authorization.substring(DPOP.length()).trim(), true,
                    context.request().headers().getAll(DpopVerifier.HEADER), context.request().method().name(),
                    context.request().path());
        } else if (authorization.length() > BEARER.length()
                && authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            request = new BearerTokenRequest(authorization.substring(BEARER.length()).trim());
        } else {
            return Uni.createFrom().failure(new AuthenticationFailedException(OAuthError.INVALID_TOKEN.exception(
                    "The Authorization header must carry a Bearer or DPoP token.")));
        }
        return identityProviderManager.authenticate(HttpSecurityUtils.setRoutingContextAttribute(request, context));
    }

    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext context) {
        return Uni.createFrom().item(new ChallengeData(401, "WWW-Authenticate",
                ErrorHeaders.bearerChallenge()));
    }

    @Override
    public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
        return Set.of(BearerTokenRequest.class);
    }

    @Override
    public Uni<HttpCredentialTransport> getCredentialTransport(RoutingContext context) {
        return Uni.createFrom().item(new HttpCredentialTransport(HttpCredentialTransport.Type.AUTHORIZATION,
                "bearer"));
    }
}
