package io.storeman.space;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import io.storeman.common.MergePatch;
import io.storeman.common.Paging.PageRequest;
import io.storeman.common.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/** A user's spaces. Every method takes the owner: a space of someone else is answered as not found. */
@ApplicationScoped
public class SpaceService {

    private final SpaceRepository spaces;
    private final MergePatch mergePatch;

    SpaceService(SpaceRepository spaces, MergePatch mergePatch) {
        this.spaces = spaces;
        this.mergePatch = mergePatch;
    }

    public Uni<List<Space>> page(long ownerId, PageRequest request) {
        return spaces.page(ownerId, request);
    }

    public Uni<Space> get(long ownerId, long id) {
        return spaces.findOwned(id, ownerId)
                .onItem().ifNull().failWith(ProblemException::notFound);
    }

    @WithTransaction
    public Uni<Space> create(long ownerId, SpaceInput input) {
        Space space = new Space();
        space.ownerId = ownerId;
        input.applyTo(space);
        space.createdAt = now();
        space.updatedAt = space.createdAt;
        return spaces.persist(space);
    }

    @WithTransaction
    public Uni<Space> update(long ownerId, long id, ObjectNode patch) {
        return get(ownerId, id)
                .invoke(space -> {
                    mergePatch.apply(SpaceInput.of(space), patch, SpaceInput.class).applyTo(space);
                    space.updatedAt = now();
                });
    }

    @WithTransaction
    public Uni<Void> delete(long ownerId, long id) {
        return spaces.deleteOwned(id, ownerId)
                .invoke(deleted -> {
                    if (!deleted) {
                        throw ProblemException.notFound();
                    }
                })
                .replaceWithVoid();
    }

    /** The database keeps microseconds: answer the same instant a later read will. */
    public static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }
}
