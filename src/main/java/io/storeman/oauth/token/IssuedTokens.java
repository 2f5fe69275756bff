package io.storeman.oauth.token;

import io.storeman.oauth.Scopes;

/**
 * What a grant issued: an access token, maybe a refresh token, the scope of the access token, the user it was issued
 * for (none for a client's own token), and an OpenID Connect ID token when the grant is one of a signed-in user whose
 * access scope includes {@code openid} (docs/security.md O3); {@code dpopBound} when the access token carries
 * {@code cnf.jkt} (its {@code token_type} is then {@code DPoP}, docs/security.md B4).
 */
public record IssuedTokens(String accessToken, String refreshToken, Scopes scope, long expiresIn, long createdAt,
        Long userId, String idToken, boolean dpopBound) {

    public IssuedTokens(String accessToken, String refreshToken, Scopes scope, long expiresIn, long createdAt,
            Long userId) {
        this(accessToken, refreshToken, scope, expiresIn, createdAt, userId, null, false);
    }

    public IssuedTokens(String accessToken, String refreshToken, Scopes scope, long expiresIn, long createdAt,
            Long userId, boolean dpopBound) {
        this(accessToken, refreshToken, scope, expiresIn, createdAt, userId, null, dpopBound);
    }

    /** These tokens with {@code idToken} beside them. */
    public IssuedTokens withIdToken(String idToken) {
        return new IssuedTokens(accessToken, refreshToken, scope, expiresIn, createdAt, userId, idToken, dpopBound);
    }
}
