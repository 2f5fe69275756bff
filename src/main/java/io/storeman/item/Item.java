package io.storeman.item;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import org.hibernate.annotations.DynamicUpdate;

/** A thing kept in a space, with a count. It belongs to whoever owns its space. */
@Entity
@Table(name = "items")
@DynamicUpdate
public class Item {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "space_id", nullable = false, updatable = false)
    public Long spaceId;

    @Column(nullable = false)
    public String name;

    public String description;

    @Column(nullable = false)
    public int quantity;

    @Column(name = "created_at", nullable = false, updatable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;
}
