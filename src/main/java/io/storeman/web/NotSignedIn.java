package io.storeman.web;

/** A page needs a signed-in user and the request has no live session: the answer is a redirect to sign in. */
public final class NotSignedIn extends RuntimeException {

    public NotSignedIn() {
        super("not signed in", null, false, false);
    }
}
