package io.storeman.oauth.token;

import io.quarkus.hibernate.reactive.panache.PanacheRepository;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;

@ApplicationScoped
@WithSession
public class RefreshTokenRepository implements PanacheRepository<RefreshToken> {

    public Uni<RefreshToken> findByHash(String tokenHash) {
        return find("tokenHash", tokenHash).firstResult();
    }

    /**
     * Marks a refresh token used if, and only if, it is still unused, unrevoked and unexpired: one conditional
     * update, so of any number of concurrent uses (on any instance) exactly one wins.
     */
    public Uni<Boolean> markUsed(long id, Instant now) {
        return update("usedAt = ?1 where id = ?2 and usedAt is null and revokedAt is null and expiresAt > ?1", now, id)
                .map(count -> count == 1);
    }
}
