package io.storeman.account;

import io.smallrye.mutiny.Uni;
import io.storeman.oauth.OAuthMetrics;
import io.storeman.security.AuditLog;
import io.storeman.security.ClientAddress;
import io.storeman.security.LoginThrottle;
import io.storeman.security.LoginThrottle.AccountState;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The one place a user's password is checked (password grant, account API, sign-in page): throttled per account and
 * client address, per account and per address (see {@link LoginThrottle}), with the same cost and the same answer
 * whether the account exists, the password is wrong, or the attempt is throttled. The account and its throttle state
 * are read in one round trip.
 */
@ApplicationScoped
public class PasswordAuthentication {

    /**
     * $1 the account (normalised e-mail), $2 the throttle window in seconds, $3 the client's address: always exactly
     * one row.
     */
    private static final String FIND_WITH_FAILURES = "select u.id, u.email, u.password_hash, u.created_at,"
            + " u.updated_at, f.* from (" + LoginThrottle.ACCOUNT_STATE + ") as f"
            + " left join users u on u.email = $1";

    private final Pool pool;
    private final PasswordHasher hasher;
    private final LoginThrottle throttle;
    private final OAuthMetrics metrics;
    private final AuditLog audit;

    PasswordAuthentication(Pool pool, PasswordHasher hasher, LoginThrottle throttle, OAuthMetrics metrics,
            AuditLog audit) {
        this.pool = pool;
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
        String account = EmailAddress.normalize(email);
        String address = ClientAddress.current().key();
        return pool.preparedQuery(FIND_WITH_FAILURES)
                .execute(Tuple.of(account, throttle.accountWindowSeconds(), address))
                .chain(rows -> {
                    Row row = rows.iterator().next();
                    return check(password, row.getLong("id") == null ? null : user(row), throttle.state(row));
                })
                .chain(attempt -> {
                    if (attempt.valid()) {
                        audit.record(AuditLog.Event.SIGN_IN_SUCCEEDED, attempt.user().id, clientId, via);
                        return throttle.accountSucceeded(account, address, attempt.state())
                                .replaceWith(attempt.user());
                    }
                    audit.record(AuditLog.Event.SIGN_IN_FAILED,
                            attempt.user() == null ? null : attempt.user().id, clientId, via);
                    return failed(account, address, attempt.state()).replaceWith((User) null);
                });
    }

    private record Attempt(User user, boolean valid, AccountState state) {
    }

    /** A throttled account is not checked, at the cost of a check. */
    private Uni<Attempt> check(String password, User user, AccountState state) {
        if (state.throttled()) {
            return hasher.verify(password, null).replaceWith(new Attempt(null, false, state));
        }
        return hasher.verify(password, user == null ? null : user.passwordHash)
                .map(valid -> new Attempt(user, valid, state));
    }

    /** A throttled attempt counts against the address (it cost a hash), never against the account. */
    private Uni<Void> failed(String account, String address, AccountState state) {
        metrics.signInFailed();
        return throttle.accountFailed(account, address, state).chain(() -> throttle.addressFailed(address));
    }

    private static User user(Row row) {
        User user = new User();
        user.id = row.getLong("id");
        user.email = row.getString("email");
        user.passwordHash = row.getString("password_hash");
        user.createdAt = row.getOffsetDateTime("created_at").toInstant();
        user.updatedAt = row.getOffsetDateTime("updated_at").toInstant();
        return user;
    }
}
