package io.storeman.space;

import java.time.Instant;

public record SpaceView(Long id, String name, String description, Instant createdAt, Instant updatedAt) {

    static SpaceView of(Space space) {
        return new SpaceView(space.id, space.name, space.description, space.createdAt, space.updatedAt);
    }
}
