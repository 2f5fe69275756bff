package io.storeman.item;

import java.time.Instant;

public record ItemView(Long id, Long spaceId, String name, String description, int quantity, Instant createdAt,
        Instant updatedAt) {

    static ItemView of(Item item) {
        return new ItemView(item.id, item.spaceId, item.name, item.description, item.quantity, item.createdAt,
                item.updatedAt);
    }
}
