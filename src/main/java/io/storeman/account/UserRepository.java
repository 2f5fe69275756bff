package io.storeman.account;

import io.quarkus.hibernate.reactive.panache.PanacheRepository;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import jakarta.enterprise.context.ApplicationScoped;

/** Users by id; by e-mail only through {@link PasswordAuthentication}, after {@link EmailAddress#normalize}. */
@ApplicationScoped
@WithSession
public class UserRepository implements PanacheRepository<User> {
}
