package io.storeman.web;

import io.storeman.session.WebSessions;

/**
 * What every page's frame needs: who is signed in (null on the sign-in pages), the CSRF token of its forms, a
 * one-line notice about the last action, the section to mark in the navigation, the pending request the sign-in and
 * sign-up pages carry ({@code next}, already checked by {@link WebForms#safeNext}), and whether the page is a
 * focused one: a decision that stands alone, framed by the brand only, with no account menu to wander off into.
 */
public record PageContext(String email, String csrf, String notice, String section, String next, boolean focused) {

    public static PageContext anonymous(String csrfToken, String notice) {
        return anonymous(csrfToken, notice, null);
    }

    /** A page for a visitor who is not signed in, on the way to {@code next} (null: none). */
    public static PageContext anonymous(String csrfToken, String notice, String next) {
        return new PageContext(null, csrfToken, notice, "", next == null ? null : WebForms.safeNext(next), false);
    }

    public static PageContext of(WebSessions.SignedIn signedIn, String section, String notice) {
        return new PageContext(signedIn.user().email, signedIn.csrfToken(), notice, section, null, false);
    }

    /** A signed-in page without the account menu, such as the consent page. */
    public static PageContext focused(WebSessions.SignedIn signedIn) {
        return new PageContext(signedIn.user().email, signedIn.csrfToken(), null, "", null, true);
    }

    public boolean signedIn() {
        return email != null;
    }

    /** Whether the frame shows the account menu: the navigation, the e-mail and "Sign out". */
    public boolean menu() {
        return signedIn() && !focused;
    }

    /** The query that carries the pending request to the sign-in or sign-up page: empty, or {@code ?next=...}. */
    public String nextQuery() {
        return WebForms.nextQuery(next);
    }
}
