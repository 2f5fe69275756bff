package io.storeman.oauth.endpoint;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.storeman.oauth.token.IssuedTokens;

/** The RFC 6749 §5.1 success body. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TokenResponse(String accessToken, String tokenType, long expiresIn, String refreshToken, String scope,
        long createdAt) {

    public static TokenResponse from(IssuedTokens tokens) {
        return new TokenResponse(tokens.accessToken(), "Bearer", tokens.expiresIn(), tokens.refreshToken(),
                tokens.scope().toString(), tokens.createdAt());
    }
}
