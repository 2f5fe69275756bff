package io.storeman.web;

/**
 * The notices a redirect may ask a page to show, by key ({@code ?notice=application_deleted}). Only these fixed
 * sentences are ever shown, so the query string cannot put text on a page.
 */
public enum Notice {
    SIGNED_UP("Welcome to Storeman. Your account is ready, and you are signed in."),
    SIGNED_OUT("You have signed out."),
    PASSWORD_CHANGED("Your password has been changed. Every application you had authorized must sign in again."),
    APPLICATION_CREATED("The application has been created."),
    APPLICATION_UPDATED("The application has been updated."),
    APPLICATION_DELETED("The application has been deleted, and every token it held has been revoked."),
    SECRET_REGENERATED("The Client secret has been regenerated. The previous secret no longer works: clients using"
            + " it will fail to get tokens until they are updated with the new one."),
    SECRET_ADDED("A new Client secret has been added. The other secrets keep working until you delete them."),
    SECRET_DELETED("The secret has been deleted. Clients still using it can no longer get tokens."),
    AUTHORIZATION_REVOKED("The application's access has been revoked.");

    private final String message;

    Notice(String message) {
        this.message = message;
    }

    public String key() {
        return name().toLowerCase();
    }

    /** The sentence for a key from the query string; null for none or an unknown one. */
    public static String message(String key) {
        for (Notice notice : values()) {
            if (notice.key().equals(key)) {
                return notice.message;
            }
        }
        return null;
    }
}
