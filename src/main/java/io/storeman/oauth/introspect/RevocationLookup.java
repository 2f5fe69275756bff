package io.storeman.oauth.introspect;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Reads the revocation list from the database itself: introspection answers for every instance, so it does not rely
 * on this instance's copy having caught up.
 */
@ApplicationScoped
public class RevocationLookup {

    @WithSession
    public Uni<Boolean> isRevoked(String jti, String clientId) {
        return Panache.getSession()
                .chain(session -> session.createNativeQuery("select count(*) from revocations"
                                + " where (kind = 'jti' and value = :jti) or (kind = 'client' and value = :client)",
                                Long.class)
                        .setParameter("jti", jti)
                        .setParameter("client", clientId)
                        .getSingleResult())
                .map(count -> count > 0);
    }
}
