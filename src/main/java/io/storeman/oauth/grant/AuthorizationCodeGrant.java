package io.storeman.oauth.grant;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.storeman.application.OAuthApplication;
import io.storeman.common.Secrets;
import io.storeman.oauth.OAuthError;
import io.storeman.oauth.OAuthException;
import io.storeman.oauth.OAuthParameters;
import io.storeman.oauth.Scopes;
import io.storeman.oauth.authorize.AuthorizationCode;
import io.storeman.oauth.authorize.AuthorizationCodeRepository;
import io.storeman.oauth.authorize.Pkce;
import io.storeman.oauth.revoke.Revocations;
import io.storeman.oauth.token.IssuedTokens;
import io.storeman.oauth.token.TokenIssuer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Optional;

/**
 * RFC 6749 §4.1.3 with RFC 7636 (S256 only, required of every client). A code works once, for the client it was
 * issued to, with the redirect URI of its request and the verifier of its challenge. A second use fails and revokes
 * the tokens the first use issued (§4.1.2, §10.5). Marking the code used and issuing share one transaction, so a
 * concurrent second use waits for the first and then finds its tokens to revoke. A code of an OpenID Connect request
 * (scope {@code openid}) also yields an ID token with the request's {@code nonce} and the user's sign-in time, which
 * the refresh token keeps for the ID tokens of its refreshes (docs/security.md O3, O4).
 */
@ApplicationScoped
public class AuthorizationCodeGrant implements TokenGrant {

    private static final String INVALID = "The authorization code is invalid, expired or was issued to another client.";
    private static final String REUSED = "The authorization code was already used; the tokens it yielded are revoked.";

    private final AuthorizationCodeRepository codes;
    private final Revocations revocations;
    private final TokenIssuer issuer;

    AuthorizationCodeGrant(AuthorizationCodeRepository codes, Revocations revocations, TokenIssuer issuer) {
        this.codes = codes;
        this.revocations = revocations;
        this.issuer = issuer;
    }

    @Override
    public String grantType() {
        return "authorization_code";
    }

    /** A redemption either issues tokens or, having committed a revocation, fails afterwards. */
    private record Outcome(IssuedTokens tokens, OAuthException failure) {
    }

    @Override
    public Uni<IssuedTokens> issue(OAuthParameters parameters, OAuthApplication client, String jkt) {
        String codeHash = Secrets.sha256(parameters.require("code"));
        String verifier = parameters.require("code_verifier");
        Optional<String> redirectUri = parameters.get("redirect_uri");
        return Panache.withTransaction(() -> codes.findByHash(codeHash)
                        .chain(code -> redeem(code, client, redirectUri, verifier, jkt)))
                .map(outcome -> {
                    if (outcome.failure() != null) {
                        throw outcome.failure();
                    }
                    return outcome.tokens();
                });
    }

    private Uni<Outcome> redeem(AuthorizationCode code, OAuthApplication client, Optional<String> redirectUri,
            String verifier, String jkt) {
        Instant now = Instant.now();
        if (code == null || !code.applicationId.equals(client.id)) {
            throw OAuthError.INVALID_GRANT.exception(INVALID);
        }
        if (code.usedAt != null) {
            return revokeFirstUse(code);
        }
        if (!code.expiresAt.isAfter(now)) {
            throw OAuthError.INVALID_GRANT.exception(INVALID);
        }
        checkRedirectUri(code, client, redirectUri);
        if (!Pkce.verifies(verifier, code.codeChallenge)) {
            throw OAuthError.INVALID_GRANT.exception("The code_verifier does not match the code_challenge.");
        }
        Scopes scopes = code.scope.intersection(client.scopes);
        if (scopes.isEmpty()) {
            throw OAuthError.INVALID_GRANT.exception("The application may no longer use the granted scope.");
        }
        return codes.markUsed(code.id, now)
                .chain(won -> won
                        ? issuer.issueForUserInTransaction(client, code.userId, scopes, scopes, code.familyId,
                                        code.authTime, jkt)
                                .map(tokens -> new Outcome(issuer.withIdToken(tokens, client, code.authTime,
                                        code.nonce), null))
                        : revokeFirstUse(code));
    }

    /**
     * §4.1.3: when the authorization request named a redirect URI, the token request must name the same; when it
     * named none, a redirect URI sent now must still be the registered one.
     */
    private static void checkRedirectUri(AuthorizationCode code, OAuthApplication client,
            Optional<String> redirectUri) {
        boolean matches = code.redirectUri != null
                ? redirectUri.filter(code.redirectUri::equals).isPresent()
                : redirectUri.map(uri -> uri.equals(client.redirectUri)).orElse(true);
        if (!matches) {
            throw OAuthError.INVALID_GRANT.exception("The redirect_uri does not match the authorization request.");
        }
    }

    private Uni<Outcome> revokeFirstUse(AuthorizationCode code) {
        return revocations.revokeFamily(code.familyId)
                .replaceWith(new Outcome(null, OAuthError.INVALID_GRANT.exception(REUSED)));
    }
}
