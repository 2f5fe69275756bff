package io.storeman.oauth.revoke;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * Writes to the revocation list. Each change is a set-based SQL statement (idempotent, safe under concurrency on any
 * number of instances); the entries are remembered locally at once and reach the other instances through
 * {@link RevocationList}.
 */
@ApplicationScoped
public class Revocations {

    static final String KIND_JTI = "jti";
    static final String KIND_CLIENT = "client";

    private static final String REVOKE_FAMILIES = """
            with revoked as (
                update refresh_tokens set revoked_at = now()
                where %s and revoked_at is null
                returning access_jti, access_expires_at
            )
            insert into revocations (kind, value, expires_at)
            select 'jti', access_jti::text, access_expires_at from revoked
            where access_expires_at > now()
            on conflict do nothing
            returning value, floor(extract(epoch from expires_at))::bigint
            """;

    private final RevocationList list;

    Revocations(RevocationList list) {
        this.list = list;
    }

    /** Revokes one access token until it would have expired anyway. */
    @WithTransaction
    public Uni<Void> revokeAccessToken(String jti, long expiresAtEpochSecond) {
        return insert(KIND_JTI, jti, expiresAtEpochSecond);
    }

    /** Revokes every token of a client, for as long as its access tokens can live. */
    @WithTransaction
    public Uni<Void> revokeClient(String clientId, long untilEpochSecond) {
        return insert(KIND_CLIENT, clientId, untilEpochSecond);
    }

    /** Revokes every refresh token of a family and the access tokens issued with them. */
    @WithTransaction
    public Uni<Void> revokeFamily(UUID familyId) {
        return revokeFamilies("family_id = :family", Map.of("family", familyId));
    }

    /** Revokes every refresh and access token a user holds (password change). */
    @WithTransaction
    public Uni<Void> revokeUser(long userId) {
        return revokeFamilies("user_id = :user", Map.of("user", userId));
    }

    /** Revokes the tokens one application holds for one user ("Authorized applications" > Revoke). */
    @WithTransaction
    public Uni<Void> revokeUserApplication(long userId, long applicationId) {
        return revokeFamilies("user_id = :user and application_id = :application",
                Map.of("user", userId, "application", applicationId));
    }

    private Uni<Void> insert(String kind, String value, long expiresAtEpochSecond) {
        return Panache.getSession()
                .chain(session -> session.createNativeQuery("insert into revocations (kind, value, expires_at)"
                        + " values (:kind, :value, :expires) on conflict do nothing")
                        .setParameter("kind", kind)
                        .setParameter("value", value)
                        .setParameter("expires", Instant.ofEpochSecond(expiresAtEpochSecond))
                        .executeUpdate())
                .invoke(() -> rememberLocally(kind, value, expiresAtEpochSecond))
                .replaceWithVoid();
    }

    private Uni<Void> revokeFamilies(String condition, Map<String, Object> parameters) {
        return Panache.getSession()
                .chain(session -> {
                    var query = session.createNativeQuery(REVOKE_FAMILIES.formatted(condition), Object[].class);
                    parameters.forEach(query::setParameter);
                    return query.getResultList();
                })
                .invoke(rows -> rows.forEach(row -> rememberLocally(KIND_JTI, (String) row[0],
                        ((Number) row[1]).longValue())))
                .replaceWithVoid();
    }

    /** Takes note of an access token revoked by a statement of its own (refresh rotation). */
    public void accessTokenRevoked(String jti, long expiresAtEpochSecond) {
        rememberLocally(KIND_JTI, jti, expiresAtEpochSecond);
    }

    private void rememberLocally(String kind, String value, long expiresAtEpochSecond) {
        list.revoked(kind, value, expiresAtEpochSecond);
    }
}
