package io.storeman.oauth;

import java.util.Optional;

/**
 * The scopes: the five of the Storeman API, and the two of OpenID Connect ({@code openid} asks for an ID token and
 * lets the token call UserInfo; {@code email} adds the e-mail address to UserInfo).
 */
public enum Scope {
    OPENID(Names.OPENID),
    EMAIL(Names.EMAIL),
    PUBLIC(Names.PUBLIC),
    READ_ITEMS(Names.READ_ITEMS),
    WRITE_ITEMS(Names.WRITE_ITEMS),
    READ_SPACES(Names.READ_SPACES),
    WRITE_SPACES(Names.WRITE_SPACES);

    /** The scopes' names as constants, for annotations ({@code @PermissionsAllowed(Scope.Names.READ_ITEMS)}). */
    public static final class Names {
        public static final String OPENID = "openid";
        public static final String EMAIL = "email";
        public static final String PUBLIC = "public";
        public static final String READ_ITEMS = "read_items";
        public static final String WRITE_ITEMS = "write_items";
        public static final String READ_SPACES = "read_spaces";
        public static final String WRITE_SPACES = "write_spaces";

        private Names() {
        }
    }

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
