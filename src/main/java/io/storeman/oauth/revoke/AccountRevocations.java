package io.storeman.oauth.revoke;

import io.smallrye.mutiny.Uni;
import io.storeman.account.PasswordChanged;
import io.storeman.application.ApplicationDeleted;
import io.storeman.application.OAuthApplication;
import jakarta.enterprise.context.ApplicationScoped;

/** The revocations that account changes set off: a password change ends the user's tokens, a deletion the client's. */
@ApplicationScoped
class AccountRevocations implements PasswordChanged, ApplicationDeleted {

    private final Revocations revocations;

    AccountRevocations(Revocations revocations) {
        this.revocations = revocations;
    }

    @Override
    public Uni<Void> passwordChanged(long userId, String keepSessionToken) {
        return revocations.revokeUser(userId);
    }

    @Override
    public Uni<Void> applicationDeleted(OAuthApplication application) {
        return revocations.revokeClient(application.clientId);
    }
}
