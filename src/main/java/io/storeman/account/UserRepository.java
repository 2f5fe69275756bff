package io.storeman.account;

import io.quarkus.hibernate.reactive.panache.PanacheRepository;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Locale;

@ApplicationScoped
@WithSession
public class UserRepository implements PanacheRepository<User> {

    public static String normalizeEmail(String email) {
        return email.trim().toLowerCase(Locale.ROOT);
    }

    public Uni<User> findByEmail(String email) {
        return find("email", normalizeEmail(email)).firstResult();
    }
}
