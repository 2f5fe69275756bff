package io.storeman.oauth.grant;

import io.smallrye.mutiny.Uni;
import io.storeman.application.OAuthApplication;
import io.storeman.oauth.OAuthError;
import io.storeman.oauth.OAuthParameters;
import io.storeman.oauth.Scopes;
import io.storeman.oauth.token.IssuedTokens;
import io.storeman.oauth.token.TokenIssuer;
import jakarta.enterprise.context.ApplicationScoped;

/** RFC 6749 §4.4: a token for the application itself. Confidential clients only; no refresh token. */
@ApplicationScoped
public class ClientCredentialsGrant implements TokenGrant {

    private final TokenIssuer issuer;

    ClientCredentialsGrant(TokenIssuer issuer) {
        this.issuer = issuer;
    }

    @Override
    public String grantType() {
        return "client_credentials";
    }

    @Override
    public Uni<IssuedTokens> issue(OAuthParameters parameters, OAuthApplication client, String jkt) {
        if (!client.confidential) {
            throw OAuthError.UNAUTHORIZED_CLIENT.exception("Public clients cannot use client credentials.");
        }
        Scopes scopes = GrantScopes.requested(parameters, client.scopes);
        return Uni.createFrom().item(issuer.issueForClient(client, scopes, jkt));
    }
}
