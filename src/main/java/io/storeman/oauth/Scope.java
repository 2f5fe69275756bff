package io.storeman.oauth;

import java.util.Optional;

/** The five scopes of the Storeman API. */
public enum Scope {
    PUBLIC("public"),
    READ_ITEMS("read_items"),
    WRITE_ITEMS("write_items"),
    READ_SPACES("read_spaces"),
    WRITE_SPACES("write_spaces");

    private final String value;

    Scope(String value) {
        this.value = value;
    }

    public String value() {
        return value;
    }

    /** The scope named exactly {@code value} (scopes are case-sensitive, RFC 6749 §3.3). */
    public static Optional<Scope> of(String value) {
        for (Scope scope : values()) {
            if (scope.value.equals(value)) {
                return Optional.of(scope);
            }
        }
        return Optional.empty();
    }
}
