package io.storeman.space;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import org.hibernate.validator.constraints.CodePointLength;

/** The fields a client sets on a space, when creating it or (as a merge patch) updating it. */
public record SpaceInput(
        @NotBlank @CodePointLength(max = 200) @Pattern(regexp = NO_NUL, message = NO_NUL_MESSAGE) String name,
        @CodePointLength(max = 2000) @Pattern(regexp = NO_NUL, message = NO_NUL_MESSAGE) String description) {

    /** PostgreSQL text cannot hold U+0000, so it is refused as a validation error rather than failing the insert. */
    public static final String NO_NUL = "[^\\x00]*";
    public static final String NO_NUL_MESSAGE = "must not contain NUL characters";

    static SpaceInput of(Space space) {
        return new SpaceInput(space.name, space.description);
    }

    void applyTo(Space space) {
        space.name = name;
        space.description = description;
    }
}
