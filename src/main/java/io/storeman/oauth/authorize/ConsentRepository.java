package io.storeman.oauth.authorize;

import io.quarkus.hibernate.reactive.panache.PanacheRepository;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

@ApplicationScoped
@WithSession
public class ConsentRepository implements PanacheRepository<Consent> {

    public Uni<Consent> find(long userId, long applicationId) {
        return find("userId = ?1 and applicationId = ?2", userId, applicationId).firstResult();
    }

    public Uni<List<Consent>> listByUser(long userId) {
        return list("userId", Sort.by("updatedAt").descending(), userId);
    }
}
