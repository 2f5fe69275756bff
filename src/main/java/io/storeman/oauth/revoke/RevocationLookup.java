package io.storeman.oauth.revoke;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import io.storeman.oauth.token.AccessToken;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Reads the revocation list from the database itself: introspection answers for every instance, so it does not rely
 * on this instance's copy having caught up. The same rules as the copy (V9__revocation_families.sql): the token's
 * family generation, and the cut-offs for its user, its client, both, and everyone.
 */
@ApplicationScoped
public class RevocationLookup {

    private static final String REVOKED = """
            select count(*) from revocations where expires_at > now() and (
                (kind = 'family' and value = :family and bound > :generation)
                or (kind = 'user' and value = :subject and bound > :issued)
                or (kind = 'client' and value = :client and bound > :issued)
                or (kind = 'grant' and value = :grant and bound > :issued)
                or (kind = 'all' and bound > :issued))
            """;

    @WithSession
    public Uni<Boolean> isRevoked(AccessToken token) {
        return Panache.getSession()
                .chain(session -> session.createNativeQuery(REVOKED, Long.class)
                        .setParameter("family", token.family() == null ? "" : token.family().toString())
                        .setParameter("generation", (long) token.generation())
                        .setParameter("subject", token.subject())
                        .setParameter("client", token.clientId())
                        .setParameter("grant", Revocations.grantKey(token.subject(), token.clientId()))
                        .setParameter("issued", token.issuedAt())
                        .getSingleResult())
                .map(count -> count > 0);
    }
}
