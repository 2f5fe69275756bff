package io.storeman.oauth.authorize;

import io.quarkus.hibernate.reactive.panache.PanacheRepository;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;

@ApplicationScoped
@WithSession
public class AuthorizationCodeRepository implements PanacheRepository<AuthorizationCode> {

    public Uni<AuthorizationCode> findByHash(String codeHash) {
        return find("codeHash", codeHash).firstResult();
    }

    /**
     * Marks a code used if, and only if, it is still unused and unexpired: one conditional update, so of any number
     * of concurrent redemptions (on any instance) exactly one wins. A loser waits for the winner's transaction and
     * then sees the row already used.
     */
    public Uni<Boolean> markUsed(long id, Instant now) {
        return update("usedAt = ?1 where id = ?2 and usedAt is null and expiresAt > ?1", now, id)
                .map(count -> count == 1);
    }
}
