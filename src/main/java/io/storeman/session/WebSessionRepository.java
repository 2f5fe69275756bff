package io.storeman.session;

import io.quarkus.hibernate.reactive.panache.PanacheRepository;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import io.storeman.account.User;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;

@ApplicationScoped
@WithSession
public class WebSessionRepository implements PanacheRepository<WebSession> {

    /** A live session and its user, or null. */
    public record Live(WebSession session, User user) {
    }

    public Uni<Live> findLive(String tokenHash, Instant now) {
        return getSession().chain(session -> session.createSelectionQuery(
                        "select s, u from WebSession s, User u where u.id = s.userId and s.tokenHash = :hash"
                                + " and s.expiresAt > :now", Object[].class)
                .setParameter("hash", tokenHash)
                .setParameter("now", now)
                .getSingleResultOrNull())
                .map(row -> row == null ? null : new Live((WebSession) row[0], (User) row[1]));
    }

    /** Moves the idle deadline forward, never past the session's maximum age. */
    public Uni<Integer> touch(long id, Instant now, Instant idleDeadline, Instant maxDeadline) {
        Instant expires = idleDeadline.isBefore(maxDeadline) ? idleDeadline : maxDeadline;
        return update("lastSeenAt = ?1, expiresAt = ?2 where id = ?3", now, expires, id);
    }

    public Uni<Long> deleteByHash(String tokenHash) {
        return delete("tokenHash", tokenHash);
    }

    /** Ends every session of a user except the one with {@code keepHash} (none kept when it is null). */
    public Uni<Long> deleteOthers(long userId, String keepHash) {
        return keepHash == null
                ? delete("userId", userId)
                : delete("userId = ?1 and tokenHash <> ?2", userId, keepHash);
    }
}
