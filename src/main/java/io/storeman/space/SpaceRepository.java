package io.storeman.space;

import io.quarkus.hibernate.reactive.panache.PanacheRepository;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import io.storeman.common.Paging.PageRequest;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

@ApplicationScoped
@WithSession
public class SpaceRepository implements PanacheRepository<Space> {

    /** The space if it exists and belongs to {@code ownerId}; null otherwise, so another user's space is unknown. */
    public Uni<Space> findOwned(long id, long ownerId) {
        return find("id = ?1 and ownerId = ?2", id, ownerId).firstResult();
    }

    /** One page of the owner's spaces in id order (one more row than the limit), from the index (owner_id, id). */
    public Uni<List<Space>> page(long ownerId, PageRequest request) {
        return find("ownerId = ?1 and id > ?2", Sort.by("id"), ownerId, request.afterId())
                .range(0, request.fetchSize() - 1)
                .list();
    }

    /** Deletes the owner's space (its items go with it, by the foreign key); false when there was none. */
    public Uni<Boolean> deleteOwned(long id, long ownerId) {
        return delete("id = ?1 and ownerId = ?2", id, ownerId).map(count -> count > 0);
    }
}
