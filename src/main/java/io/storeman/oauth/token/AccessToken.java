package io.storeman.oauth.token;

import io.storeman.oauth.Scopes;
import java.util.Optional;

/**
 * The verified claims of an access token. A token issued to a client for itself (client credentials) has the client
 * id as {@code sub} and no user.
 */
public record AccessToken(String jti, String subject, String clientId, Scopes scopes, long issuedAt, long expiresAt) {

    public Optional<Long> userId() {
        if (subject.equals(clientId)) {
            return Optional.empty();
        }
        try {
            return Optional.of(Long.parseLong(subject));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
