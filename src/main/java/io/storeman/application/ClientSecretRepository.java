package io.storeman.application;

import io.quarkus.hibernate.reactive.panache.PanacheRepository;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

@ApplicationScoped
@WithSession
public class ClientSecretRepository implements PanacheRepository<ClientSecret> {

    /** An application's secrets, oldest first. */
    public Uni<List<ClientSecret>> listByApplication(long applicationId) {
        return list("applicationId", Sort.by("createdAt").and("id"), applicationId);
    }

    public Uni<ClientSecret> findOfApplication(long id, long applicationId) {
        return find("id = ?1 and applicationId = ?2", id, applicationId).firstResult();
    }

    public Uni<Long> deleteByApplication(long applicationId) {
        return delete("applicationId", applicationId);
    }
}
