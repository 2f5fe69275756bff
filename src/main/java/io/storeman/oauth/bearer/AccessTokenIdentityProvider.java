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
import io.storeman.oauth.dpop.DpopProofs;
import io.storeman.oauth.dpop.DpopVerifier;
import io.storeman.oauth.revoke.RevocationList;
import io.storeman.oauth.token.AccessToken;
import io.storeman.oauth.token.AccessTokenVerifier;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Turns a Bearer token into a {@link SecurityIdentity}, checking in this order: signature and claims
 * ({@link AccessTokenVerifier}), this instance's revocation list is current (else 503, docs/security.md D8), the token
 * is not revoked; a DPoP-bound token only under the DPoP scheme with a proof by its key, recorded across instances
 * (docs/security.md B6), a Bearer token as before, without a write. The token's scopes become the identity's permissions (docs/security.md A3), which
 * {@code @PermissionsAllowed} checks next. Every step but the DPoP record is in memory, so it runs on the calling
 * thread.
 */
@ApplicationScoped
public class AccessTokenIdentityProvider implements IdentityProvider<BearerTokenRequest> {

    /** The identity's attribute holding the verified {@link AccessToken}, read by {@link Caller}. */
    static final String ACCESS_TOKEN = "storeman.access-token";

    private final AccessTokenVerifier verifier;
    private final RevocationList revocations;
    private final DpopVerifier dpop;

    AccessTokenIdentityProvider(AccessTokenVerifier verifier, RevocationList revocations, DpopVerifier dpop) {
        this.verifier = verifier;
        this.revocations = revocations;
        this.dpop = dpop;
    }

    @Override
    public Class<BearerTokenRequest> getRequestType() {
        return BearerTokenRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(BearerTokenRequest request, AuthenticationRequestContext context) {
        try {
            AccessToken token = check(request.token());
            if (!request.dpop()) {
                if (token.isDpopBound()) {
                    throw OAuthError.INVALID_TOKEN.exception("This access token is DPoP-bound: send it as "
                            + "Authorization: DPoP, with a DPoP proof.");
                }
                return Uni.createFrom().item(identity(token));
            }
            return proven(request, token).map(proof -> identity(token))
                    .onFailure().transform(e -> refusal(e, true));
        } catch (OAuthException e) {
            return Uni.createFrom().failure(refusal(e, request.dpop()));
        }
    }

    /**
     * RFC 9449 §7.1, §4.3: a token under the DPoP scheme must be bound, and come with one proof for this request, by
     * the token's key, with {@code ath}; the proof is recorded (one write) only when all of that holds (B3, B6).
     */
    private Uni<DpopProofs.Proof> proven(BearerTokenRequest request, AccessToken token) {
        if (!token.isDpopBound()) {
            throw OAuthError.INVALID_TOKEN.exception("The access token is not DPoP-bound: send it as Bearer.");
        }
        DpopProofs.Proof proof = dpop.check(request.proofs(), request.method(), request.path(), request.token())
                .orElseThrow(() -> OAuthError.INVALID_DPOP_PROOF.exception("A DPoP proof is required."));
        if (!proof.jkt().equals(token.jkt())) {
            throw OAuthError.INVALID_DPOP_PROOF.exception("The DPoP proof's key is not the one the token is bound to.");
        }
        return dpop.checkNonce(proof).chain(dpop::record);
    }

    /**
     * The failure Quarkus Security reports: an OAuth refusal (with the DPoP challenge under the DPoP scheme), or, when
     * the replay cache could not be written (the database is out of reach), 503: a proof whose freshness cannot be
     * established is never accepted, and the client is not told its proof was bad.
     */
    private static AuthenticationFailedException refusal(Throwable e, boolean dpopScheme) {
        OAuthException refusal = e instanceof OAuthException known ? known
                : OAuthError.TEMPORARILY_UNAVAILABLE.exception("DPoP proofs cannot be checked for replay now.");
        return new AuthenticationFailedException(dpopScheme
                ? refusal.withDpopChallenge(DpopVerifier.algorithms())
                : refusal);
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
