package io.storeman.account;

import io.quarkus.hibernate.reactive.panache.PanacheRepository;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;

/** Users by id; by e-mail only through {@link PasswordAuthentication}, after {@link EmailAddress#normalize}. */
@ApplicationScoped
@WithSession
public class UserRepository implements PanacheRepository<User> {

    /** Does nothing when the e-mail is taken, and then returns no row. */
    private static final String INSERT_UNLESS_TAKEN = """
            insert into users (email, password_hash, created_at, updated_at)
            values (:email, :hash, :created, :created)
            on conflict (email) do nothing
            returning id
            """;

    /**
     * Stores a new user and answers its id, or null when the e-mail is taken. A taken e-mail is an everyday answer
     * of sign-up, not a fault: {@code on conflict do nothing} tells it without the unique violation that Hibernate
     * would log as a warning with the SQL error. Any other failure still fails, and is logged where it is answered.
     */
    public Uni<Long> insertUnlessTaken(String email, String passwordHash, Instant createdAt) {
        return getSession().chain(session -> session.createNativeQuery(INSERT_UNLESS_TAKEN, Long.class)
                        .setParameter("email", email)
                        .setParameter("hash", passwordHash)
                        .setParameter("created", createdAt)
                        .getResultList())
                .map(ids -> ids.isEmpty() ? null : ids.get(0));
    }
}
