package io.storeman.web;

/** A form arrived without the CSRF token of the browser's session, or with a wrong one: it is refused with 403. */
public final class CsrfRejected extends RuntimeException {

    public CsrfRejected() {
        super("missing or wrong CSRF token", null, false, false);
    }
}
