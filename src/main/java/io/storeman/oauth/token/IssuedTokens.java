package io.storeman.oauth.token;

import io.storeman.oauth.Scopes;

/** What a grant issued: an access token, maybe a refresh token, and the scope of the access token. */
public record IssuedTokens(String accessToken, String refreshToken, Scopes scope, long expiresIn, long createdAt) {
}
