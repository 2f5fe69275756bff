package io.storeman.oauth.endpoint;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.storeman.oauth.token.IssuedTokens;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The RFC 6749 §5.1 success body, with OpenID Connect Core 1.0 §3.1.3.3's {@code id_token} when the grant issued one.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TokenResponse(String accessToken, String tokenType, long expiresIn, String refreshToken, String scope,
        long createdAt,
        @Schema(description = "OpenID Connect ID token (JWS, typ JWT, signed in the client's "
                + "id_token_signed_response_alg): from the authorization code grant and its refreshes when the "
                + "access token's scope includes openid") String idToken) {

    public static TokenResponse from(IssuedTokens tokens) {
        return new TokenResponse(tokens.accessToken(), tokens.dpopBound() ? "DPoP" : "Bearer", tokens.expiresIn(), tokens.refreshToken(),
                tokens.scope().toString(), tokens.createdAt(), tokens.idToken());
    }
}
