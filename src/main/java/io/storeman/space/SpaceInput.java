package io.storeman.space;

import io.storeman.common.PlainText;
import jakarta.validation.constraints.NotBlank;
import org.hibernate.validator.constraints.CodePointLength;

/** The fields a client sets on a space, when creating it or (as a merge patch) updating it. */
public record SpaceInput(
        @NotBlank @CodePointLength(max = 200) @PlainText String name,
        @CodePointLength(max = 2000) @PlainText(multiline = true) String description) {

    static SpaceInput of(Space space) {
        return new SpaceInput(space.name, space.description);
    }

    void applyTo(Space space) {
        space.name = name;
        space.description = description;
    }
}
