package io.storeman.account;

import io.quarkus.arc.All;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.storeman.common.ProblemException;
import io.storeman.security.AuditLog;
import io.storeman.security.ClientAddress;
import io.storeman.security.LoginThrottle;
import io.storeman.security.SignUpThrottle;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

@ApplicationScoped
public class UserService {

    private final UserRepository users;
    private final PasswordHasher hasher;
    private final PasswordPolicy policy;
    private final PasswordAuthentication passwords;
    private final List<PasswordChanged> passwordChanged;
    private final AuditLog audit;
    private final SignUpThrottle signUps;
    private final LoginThrottle throttle;
    private final FirstPartyOwners firstPartyOwners;

    UserService(UserRepository users, PasswordHasher hasher, PasswordPolicy policy, PasswordAuthentication passwords,
            @All List<PasswordChanged> passwordChanged, AuditLog audit, SignUpThrottle signUps,
            LoginThrottle throttle, FirstPartyOwners firstPartyOwners) {
        this.users = users;
        this.hasher = hasher;
        this.policy = policy;
        this.passwords = passwords;
        this.passwordChanged = passwordChanged;
        this.audit = audit;
        this.signUps = signUps;
        this.throttle = throttle;
        this.firstPartyOwners = firstPartyOwners;
    }

    /**
     * Creates an account; a bad e-mail or password is a 400 naming the fields, a taken e-mail a 409 (which also
     * counts as a failed authentication of the address), an address over its sign-up limits a 429. The limits are
     * checked before the password is hashed, and the password is hashed before any transaction opens. An e-mail on
     * the first-party list is taken (D9): its answer, cost and count are a taken e-mail's, so the refusal tells
     * nobody that the address is listed.
     */
    public Uni<User> register(String email, String password) {
        Map<String, String> errors = new TreeMap<>();
        EmailAddress.problem(email).ifPresent(problem -> errors.put("email", problem));
        policy.problem(password).ifPresent(problem -> errors.put("password", problem));
        if (!errors.isEmpty()) {
            return Uni.createFrom().failure(ProblemException.invalid(errors));
        }
        String normalized = EmailAddress.normalize(email);
        String address = ClientAddress.current().key();
        return signUps.attempt(address)
                .chain(retryAfter -> retryAfter > 0
                        ? Uni.createFrom().failure(ProblemException.tooManyRequests(
                                "Too many sign-ups from this address. Retry later.", retryAfter))
                        : hasher.hash(password))
                .chain(hash -> firstPartyOwners.includes(normalized)
                        ? Uni.createFrom().failure(new EmailTaken())
                        : insert(normalized, hash))
                .call(() -> signUps.signedUp(address))
                .onFailure(EmailTaken.class)
                .recoverWithUni(() -> throttle.addressFailed(address).chain(() -> Uni.createFrom()
                        .failure(ProblemException.conflict("An account with this e-mail already exists."))));
    }

    /**
     * Changes a password after checking the current one (counted like any sign-in attempt). Every token the user
     * holds is revoked at once, and every web session but {@code keepSessionToken}'s (none when null) ends.
     */
    public Uni<Void> changePassword(User user, String currentPassword, String newPassword, String keepSessionToken) {
        Map<String, String> errors = new TreeMap<>();
        policy.problem(newPassword).ifPresent(problem -> errors.put("new_password", problem));
        if (currentPassword == null || currentPassword.isEmpty()) {
            errors.put("current_password", "must not be blank");
        } else if (!PasswordPolicy.isCheckable(currentPassword)) {
            errors.put("current_password", "is incorrect");
        }
        if (errors.containsKey("current_password")) {
            return Uni.createFrom().failure(ProblemException.invalid(errors));
        }
        return passwords.authenticate(user.email, currentPassword, "password_change", null)
                .chain(verified -> {
                    if (verified == null || !verified.id.equals(user.id)) {
                        errors.put("current_password", "is incorrect");
                    } else if (currentPassword.equals(newPassword)) {
                        errors.putIfAbsent("new_password", "must differ from your current password");
                    }
                    if (!errors.isEmpty()) {
                        return Uni.createFrom().failure(ProblemException.invalid(errors));
                    }
                    return hasher.hash(newPassword);
                })
                .chain(hash -> storePassword(user.id, hash, keepSessionToken));
    }

    /** A sign-up with a taken e-mail, or with a listed one, which is answered the same (D9). */
    private static final class EmailTaken extends RuntimeException {
        EmailTaken() {
            super(null, null, false, false);
        }
    }

    @WithTransaction
    Uni<User> insert(String email, String passwordHash) {
        User user = new User();
        user.email = email;
        user.passwordHash = passwordHash;
        user.createdAt = Instant.now();
        user.updatedAt = user.createdAt;
        return users.insertUnlessTaken(email, passwordHash, user.createdAt)
                .onItem().ifNull().failWith(EmailTaken::new)
                .map(id -> {
                    user.id = id;
                    return user;
                });
    }

    @WithTransaction
    Uni<Void> storePassword(long userId, String passwordHash, String keepSessionToken) {
        return users.update("passwordHash = ?1, updatedAt = ?2 where id = ?3", passwordHash, Instant.now(), userId)
                .chain(() -> Multi.createFrom().iterable(passwordChanged)
                        .onItem().transformToUniAndConcatenate(then -> then.passwordChanged(userId, keepSessionToken))
                        .collect().last())
                .invoke(() -> audit.record(AuditLog.Event.PASSWORD_CHANGED, userId, null));
    }
}
