package io.storeman.oauth;

import java.util.List;

/**
 * What each scope lets an application do, in plain words: the consent page asks with these sentences, and
 * "Authorized applications" lists what was granted with the same ones, so people read one wording for one permission.
 */
public final class ScopeWords {

    private ScopeWords() {
    }

    public static String describe(Scope scope) {
        return switch (scope) {
            case OPENID -> "Know who you are on Storeman, to sign you in";
            case EMAIL -> "Know your e-mail address when you sign in with Storeman";
            case PUBLIC -> "See your e-mail address and when you joined";
            case READ_ITEMS -> "See the items in your spaces";
            case WRITE_ITEMS -> "Add, change and delete the items in your spaces";
            case READ_SPACES -> "See your spaces";
            case WRITE_SPACES -> "Create, change and delete your spaces";
        };
    }

    public static List<String> describe(Scopes scopes) {
        return scopes.values().stream().map(value -> describe(Scope.of(value).orElseThrow())).toList();
    }
}
