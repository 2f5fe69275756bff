package io.storeman.oauth.token;

import io.storeman.oauth.Scopes;
import java.util.Optional;
import java.util.UUID;

/**
 * The verified claims of an access token, with the thumbprint of the DPoP key it is bound to (null if none). A token issued to a client for itself (client credentials) has the client
 * id as {@code sub} and no user. A user's token belongs to the family of refresh tokens it was issued with
 * ({@code family}, null for client credentials) at that family's {@code generation}: 0 for the first, one more for
 * each rotation.
 */
public record AccessToken(String jti, String subject, String clientId, Scopes scopes, long issuedAt, long expiresAt,
        UUID family, int generation, String jkt) {

    /** The claim binding a token to a DPoP key (RFC 9449 §6.1): {@code cnf} holding {@code jkt}, the thumbprint. */
    public static final String CONFIRMATION_CLAIM = "cnf";
    public static final String THUMBPRINT_MEMBER = "jkt";

    /** A token bound to no key. */
    public AccessToken(String jti, String subject, String clientId, Scopes scopes, long issuedAt, long expiresAt,
            UUID family, int generation) {
        this(jti, subject, clientId, scopes, issuedAt, expiresAt, family, generation, null);
    }

    /** Whether the token is bound to a DPoP key ({@code cnf.jkt}): it is then accepted only with a proof by it. */
    public boolean isDpopBound() {
        return jkt != null;
    }

    /** The claim naming the token's family (a UUID), and the one giving its generation: see {@link AccessToken}. */
    public static final String FAMILY_CLAIM = "fam";
    public static final String GENERATION_CLAIM = "gen";

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
