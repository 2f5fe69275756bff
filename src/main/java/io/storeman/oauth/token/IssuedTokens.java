package io.storeman.oauth.token;

import io.storeman.oauth.Scopes;

/**
 * What a grant issued: an access token, maybe a refresh token, the scope of the access token, and the user it was
 * issued for (none for a client's own token).
 */
public record IssuedTokens(String accessToken, String refreshToken, Scopes scope, long expiresIn, long createdAt,
        Long userId) {
}
