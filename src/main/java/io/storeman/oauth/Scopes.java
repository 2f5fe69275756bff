package io.storeman.oauth;

import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** An immutable set of scopes, parsed once at the edge and written back in a stable order. */
public final class Scopes {

    public static final Scopes DEFAULT = new Scopes(EnumSet.of(Scope.PUBLIC));
    /** No scope at all. */
    public static final Scopes NONE = new Scopes(EnumSet.noneOf(Scope.class));
    private static final int MAX_LENGTH = 200;

    private final Set<Scope> scopes;

    private Scopes(EnumSet<Scope> scopes) {
        this.scopes = Collections.unmodifiableSet(scopes);
    }

    public static Scopes of(Scope... scopes) {
        EnumSet<Scope> set = EnumSet.noneOf(Scope.class);
        Collections.addAll(set, scopes);
        return new Scopes(set);
    }

    /**
     * Parses a space-delimited scope string (RFC 6749 §3.3). Unknown or malformed scopes fail with
     * {@code invalid_scope}; a missing or blank value gives {@code fallback}.
     */
    public static Scopes parse(String value, Scopes fallback) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        if (value.length() > MAX_LENGTH) {
            throw OAuthError.INVALID_SCOPE.exception("The scope is too long.");
        }
        EnumSet<Scope> set = EnumSet.noneOf(Scope.class);
        for (String token : value.split(" ")) {
            if (token.isEmpty()) {
                continue;
            }
            set.add(Scope.of(token).orElseThrow(() -> OAuthError.INVALID_SCOPE.exception("Unknown scope.")));
        }
        return set.isEmpty() ? fallback : new Scopes(set);
    }

    /** Parses scopes that were stored by this server (always valid). */
    public static Scopes parseStored(String value) {
        return parse(value, NONE);
    }

    public boolean contains(Scope scope) {
        return scopes.contains(scope);
    }

    public boolean containsAll(Scopes other) {
        return scopes.containsAll(other.scopes);
    }

    public Scopes intersection(Scopes other) {
        EnumSet<Scope> set = EnumSet.noneOf(Scope.class);
        set.addAll(scopes);
        set.retainAll(other.scopes);
        return new Scopes(set);
    }

    public Scopes union(Scopes other) {
        EnumSet<Scope> set = EnumSet.noneOf(Scope.class);
        set.addAll(scopes);
        set.addAll(other.scopes);
        return new Scopes(set);
    }

    public boolean isEmpty() {
        return scopes.isEmpty();
    }

    public List<String> values() {
        return scopes.stream().map(Scope::value).toList();
    }

    /** Space-separated, in the order of {@link Scope}. */
    @Override
    public String toString() {
        return scopes.stream().map(Scope::value).collect(Collectors.joining(" "));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Scopes other && scopes.equals(other.scopes);
    }

    @Override
    public int hashCode() {
        return scopes.hashCode();
    }
}
