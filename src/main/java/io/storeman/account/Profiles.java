package io.storeman.account;

import io.smallrye.mutiny.Uni;
import io.storeman.account.UserResource.UserView;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The profiles {@code GET /api/v1/me} answers with, kept for a few seconds so that a client polling its profile does
 * not cost a database round trip per call. A profile (id, e-mail, creation time) is read again once it is older than
 * {@link #TTL}; a change, or a deleted account, shows within that time. Bounded to {@value #MAX_ENTRIES} entries.
 */
@ApplicationScoped
public class Profiles {

    static final Duration TTL = Duration.ofSeconds(5);
    static final int MAX_ENTRIES = 10_000;

    private final UserRepository users;
    private final Map<Long, Cached> cache = new ConcurrentHashMap<>();

    Profiles(UserRepository users) {
        this.users = users;
    }

    private record Cached(UserView view, long loadedAtNanos) {
    }

    /** The user's profile, or null when there is no such user. */
    public Uni<UserView> find(long userId) {
        Cached cached = cache.get(userId);
        if (cached != null && System.nanoTime() - cached.loadedAtNanos() < TTL.toNanos()) {
            return Uni.createFrom().item(cached.view());
        }
        return users.findById(userId)
                .map(user -> user == null ? null : remember(UserView.of(user)));
    }

    private UserView remember(UserView view) {
        if (cache.size() >= MAX_ENTRIES) {
            cache.clear();
        }
        cache.put(view.id(), new Cached(view, System.nanoTime()));
        return view;
    }
}
