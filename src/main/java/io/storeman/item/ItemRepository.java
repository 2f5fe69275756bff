package io.storeman.item;

import io.quarkus.hibernate.reactive.panache.PanacheRepository;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

@ApplicationScoped
@WithSession
public class ItemRepository implements PanacheRepository<Item> {

    /** Items belong to the owner of their space. */
    private static final String OWNED = "id = ?1 and spaceId in (select s.id from Space s where s.ownerId = ?2)";

    /** The item if it exists and its space belongs to {@code ownerId}; null otherwise. */
    public Uni<Item> findOwned(long id, long ownerId) {
        return find(OWNED, id, ownerId).firstResult();
    }

    /** Deletes the owner's item; false when there was none. */
    public Uni<Boolean> deleteOwned(long id, long ownerId) {
        return delete(OWNED, id, ownerId).map(count -> count > 0);
    }
}
