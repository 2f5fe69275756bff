package io.storeman.item;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import io.storeman.common.Failures;
import io.storeman.common.MergePatch;
import io.storeman.common.Paging.PageRequest;
import io.storeman.common.ProblemException;
import io.storeman.space.SpaceRepository;
import io.storeman.space.SpaceService;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/** The items in a user's spaces. An item, or a space, of someone else is answered as not found. */
@ApplicationScoped
public class ItemService {

    private final ItemRepository items;
    private final SpaceRepository spaces;
    private final ItemPages pages;
    private final MergePatch mergePatch;

    ItemService(ItemRepository items, SpaceRepository spaces, ItemPages pages, MergePatch mergePatch) {
        this.items = items;
        this.spaces = spaces;
        this.pages = pages;
        this.mergePatch = mergePatch;
    }

    /** A page of the items of one of the owner's spaces. */
    public Uni<ItemPages.ItemPage> page(long ownerId, long spaceId, PageRequest request) {
        return pages.page(ownerId, spaceId, request)
                .onItem().ifNull().failWith(ProblemException::notFound);
    }

    public Uni<Item> get(long ownerId, long id) {
        return items.findOwned(id, ownerId)
                .onItem().ifNull().failWith(ProblemException::notFound);
    }

    /** Adds an item to one of the owner's spaces; a space deleted meanwhile is not found, like any other. */
    @WithTransaction
    public Uni<Item> create(long ownerId, long spaceId, ItemInput input) {
        return spaces.findOwned(spaceId, ownerId)
                .onItem().ifNull().failWith(ProblemException::notFound)
                .chain(space -> items.persist(newItem(space.id, input)))
                .onFailure(Failures::isForeignKeyViolation).transform(e -> ProblemException.notFound());
    }

    @WithTransaction
    public Uni<Item> update(long ownerId, long id, ObjectNode patch) {
        return get(ownerId, id)
                .invoke(item -> {
                    mergePatch.apply(ItemInput.of(item), patch, ItemInput.class).applyTo(item);
                    item.updatedAt = SpaceService.now();
                });
    }

    @WithTransaction
    public Uni<Void> delete(long ownerId, long id) {
        return items.deleteOwned(id, ownerId)
                .invoke(deleted -> {
                    if (!deleted) {
                        throw ProblemException.notFound();
                    }
                })
                .replaceWithVoid();
    }

    private static Item newItem(long spaceId, ItemInput input) {
        Item item = new Item();
        item.spaceId = spaceId;
        input.applyTo(item);
        item.createdAt = SpaceService.now();
        item.updatedAt = item.createdAt;
        return item;
    }
}
