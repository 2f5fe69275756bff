package io.storeman.account;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;

/**
 * A user's public profile by id, remembered for a few minutes: what the hottest API calls (/api/v1/me,
 * introspection) need, without a database round trip each time. An e-mail and a creation time never change.
 */
@ApplicationScoped
public class UserProfiles {

    /** The fields of a user anyone holding their token may see. */
    public record Profile(long id, String email, Instant createdAt) {
    }

    private final UserRepository users;
    private final Cache<Long, Profile> profiles = Caffeine.newBuilder()
            .maximumSize(10_000)
            .expireAfterWrite(Duration.ofMinutes(5))
            .build();

    UserProfiles(UserRepository users) {
        this.users = users;
    }

    /** The profile of user {@code id}, or null when there is no such user. */
    public Uni<Profile> find(long id) {
        Profile known = profiles.getIfPresent(id);
        if (known != null) {
            return Uni.createFrom().item(known);
        }
        return users.findById(id)
                .map(user -> user == null ? null : new Profile(user.id, user.email, user.createdAt))
                .invoke(profile -> {
                    if (profile != null) {
                        profiles.put(id, profile);
                    }
                });
    }
}
