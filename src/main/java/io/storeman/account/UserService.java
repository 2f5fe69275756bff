package io.storeman.account;

import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import io.storeman.common.Failures;
import io.storeman.common.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;

@ApplicationScoped
public class UserService {

    private final UserRepository users;
    private final PasswordHasher hasher;

    UserService(UserRepository users, PasswordHasher hasher) {
        this.users = users;
        this.hasher = hasher;
    }

    /** Creates an account; a taken e-mail is a 409. The password is hashed before any transaction opens. */
    public Uni<User> register(String email, String password) {
        String normalized = UserRepository.normalizeEmail(email);
        return hasher.hash(password)
                .chain(hash -> insert(normalized, hash))
                .onFailure(Failures::isUniqueViolation)
                .transform(e -> ProblemException.conflict("An account with this e-mail already exists."));
    }

    @WithTransaction
    Uni<User> insert(String email, String passwordHash) {
        User user = new User();
        user.email = email;
        user.passwordHash = passwordHash;
        user.createdAt = Instant.now();
        user.updatedAt = user.createdAt;
        return users.persistAndFlush(user);
    }
}
