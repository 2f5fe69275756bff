package io.storeman.application;

import io.quarkus.hibernate.reactive.panache.PanacheRepository;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

@ApplicationScoped
@WithSession
public class ApplicationRepository implements PanacheRepository<OAuthApplication> {

    public Uni<OAuthApplication> findByClientId(String clientId) {
        return find("clientId", clientId).firstResult();
    }

    public Uni<List<OAuthApplication>> listByOwner(long ownerId) {
        return list("ownerId", Sort.by("id"), ownerId);
    }

    public Uni<OAuthApplication> findOwned(long id, long ownerId) {
        return find("id = ?1 and ownerId = ?2", id, ownerId).firstResult();
    }

    public Uni<List<OAuthApplication>> findByIds(List<Long> ids) {
        return ids.isEmpty() ? Uni.createFrom().item(List.of()) : list("id in ?1", ids);
    }
}
