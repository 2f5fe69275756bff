package io.storeman.item;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.storeman.common.IntegerOnly;
import io.storeman.common.PlainText;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.PositiveOrZero;
import org.hibernate.validator.constraints.CodePointLength;

/**
 * The fields a client sets on an item, when creating it or (as a merge patch) updating it. A missing or null
 * quantity is 0. The space is fixed at creation.
 */
public record ItemInput(
        @NotBlank @CodePointLength(max = 200) @PlainText String name,
        @CodePointLength(max = 2000) @PlainText(multiline = true) String description,
        @JsonDeserialize(using = IntegerOnly.class)
        @PositiveOrZero @Max(value = Integer.MAX_VALUE, message = "must be at most 2147483647") Long quantity) {

    static ItemInput of(Item item) {
        return new ItemInput(item.name, item.description, (long) item.quantity);
    }

    void applyTo(Item item) {
        item.name = name;
        item.description = description;
        item.quantity = quantity == null ? 0 : quantity.intValue();
    }
}
