package io.storeman.account;

import io.smallrye.mutiny.Uni;
import io.storeman.oauth.OAuthMetrics;
import io.storeman.security.AuditLog;
import io.storeman.security.LoginThrottle;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The one place a user's password is checked (password grant, account API, sign-in page): throttled per account and
 * per address, with the same cost and the same answer whether the account exists, the password is wrong, or the
 * account is being throttled.
 */
@ApplicationScoped
public class PasswordAuthentication {

    private final UserRepository users;
    private final PasswordHasher hasher;
    private final LoginThrottle throttle;
    private final OAuthMetrics metrics;
    private final AuditLog audit;

    PasswordAuthentication(UserRepository users, PasswordHasher hasher, LoginThrottle throttle,
            OAuthMetrics metrics, AuditLog audit) {
        this.users = users;
        this.hasher = hasher;
        this.throttle = throttle;
        this.metrics = metrics;
        this.audit = audit;
    }

    /**
     * The user these credentials belong to, or null when they do not authenticate anyone. {@code via} (the
     * channel) and {@code clientId} (the application, if any) go into the audit line.
     */
    public Uni<User> authenticate(String email, String password, String via, String clientId) {
        String account = UserRepository.normalizeEmail(email);
        String address = AuditLog.clientIp();
        return throttle.accountState(account)
                .chain(state -> check(account, password, state.throttled())
                        .chain(attempt -> {
                            if (attempt.valid()) {
                                audit.record(AuditLog.Event.SIGN_IN_SUCCEEDED, attempt.user().id, clientId, via);
                                return state.failures() > 0
                                        ? throttle.accountSucceeded(account).replaceWith(attempt.user())
                                        : Uni.createFrom().item(attempt.user());
                            }
                            audit.record(AuditLog.Event.SIGN_IN_FAILED,
                                    attempt.user() == null ? null : attempt.user().id, clientId, via);
                            return failed(account, address).replaceWith((User) null);
                        }));
    }

    private record Attempt(User user, boolean valid) {
    }

    private Uni<Attempt> check(String account, String password, boolean throttled) {
        if (throttled) {
            return hasher.verify(password, null).replaceWith(new Attempt(null, false));
        }
        return users.findByEmail(account)
                .chain(user -> hasher.verify(password, user == null ? null : user.passwordHash)
                        .map(valid -> new Attempt(user, valid)));
    }

    private Uni<Void> failed(String account, String address) {
        metrics.signInFailed();
        return throttle.accountFailed(account).chain(() -> throttle.addressFailed(address));
    }
}
