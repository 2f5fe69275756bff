package io.storeman.account;

import io.smallrye.mutiny.Uni;

/**
 * What a password change sets off in the packages above this one: the tokens and the other web sessions the old
 * password authorized end with it (docs/security.md N21). Implementations run in the transaction that stores the new
 * password, one after the other; a failure rolls the change back.
 */
public interface PasswordChanged {

    /** The password of {@code userId} changed; the web session {@code keepSessionToken} (or none, null) made it. */
    Uni<Void> passwordChanged(long userId, String keepSessionToken);
}
