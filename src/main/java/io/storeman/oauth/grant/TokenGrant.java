package io.storeman.oauth.grant;

import io.smallrye.mutiny.Uni;
import io.storeman.application.OAuthApplication;
import io.storeman.oauth.OAuthParameters;
import io.storeman.oauth.token.IssuedTokens;

/** One grant type of the token endpoint. Implementations are stateless and see no HTTP types. */
public interface TokenGrant {

    /** The RFC literal of {@code grant_type}. */
    String grantType();

    /**
     * Issues tokens to an authenticated client, or fails with an {@code OAuthException}. {@code jkt} is the RFC 7638
     * thumbprint of the key of the request's checked DPoP proof, null without one: the tokens are then bound to it
     * (docs/security.md B4, B5).
     */
    Uni<IssuedTokens> issue(OAuthParameters parameters, OAuthApplication client, String jkt);
}
