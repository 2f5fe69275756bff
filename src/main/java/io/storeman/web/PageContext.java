package io.storeman.web;

/**
 * What every page's frame needs: who is signed in (null on the sign-in pages), the CSRF token of its forms, a
 * one-line notice about the last action, and the section to mark in the navigation.
 */
public record PageContext(String email, String csrf, String notice, String section) {

    public static PageContext anonymous(String csrfToken, String notice) {
        return new PageContext(null, csrfToken, notice, "");
    }

    public static PageContext of(WebSessions.SignedIn signedIn, String section, String notice) {
        return new PageContext(signedIn.user().email, signedIn.csrfToken(), notice, section);
    }

    public boolean signedIn() {
        return email != null;
    }
}
