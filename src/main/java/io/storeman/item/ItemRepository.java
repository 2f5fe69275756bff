package io.storeman.item;

import io.quarkus.hibernate.reactive.panache.PanacheRepository;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import io.storeman.common.Paging.PageRequest;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

@ApplicationScoped
@WithSession
public class ItemRepository implements PanacheRepository<Item> {

    /** Items belong to the owner of their space. */
    private static final String OWNED = "id = ?1 and spaceId in (select s.id from Space s where s.ownerId = ?2)";

    /** The item if it exists and its space belongs to {@code ownerId}; null otherwise. */
    public Uni<Item> findOwned(long id, long ownerId) {
        return find(OWNED, id, ownerId).firstResult();
    }

    /** One page of a space's items in id order (one more row than the limit), from the index (space_id, id). */
    public Uni<List<Item>> page(long spaceId, PageRequest request) {
        return find("spaceId = ?1 and id > ?2", Sort.by("id"), spaceId, request.afterId())
                .range(0, request.fetchSize() - 1)
                .list();
    }

    /** Deletes the owner's item; false when there was none. */
    public Uni<Boolean> deleteOwned(long id, long ownerId) {
        return delete(OWNED, id, ownerId).map(count -> count > 0);
    }
}
