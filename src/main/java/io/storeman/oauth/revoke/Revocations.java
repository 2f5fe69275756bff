package io.storeman.oauth.revoke;

import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import io.storeman.common.StoremanConfig;
import io.storeman.oauth.token.AccessToken;
import io.storeman.oauth.token.AccessTokenVerifier;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The rules of revocation: what each event revokes, and for how long; the SQL is {@link RevocationStore}'s. The list holds one entry per token family, per user, per client, or per user and
 * client, never one per access token (docs/security.md R1): a family's entry names the lowest generation still
 * valid; the others are cut-offs, revoking every token issued before a second. Each change is one set-based SQL
 * statement (idempotent, safe under concurrency on any number of instances); the entries are remembered locally at
 * once and reach the other instances through {@link RevocationList}. An entry lives as long as any instance could
 * still accept a token it refuses: the token's expiry plus the verifier's clock skew.
 * <p>
 * Every revocation that ends refresh tokens first takes their user's grant lock exclusively, and only then, in a
 * statement of its own (a new snapshot under READ COMMITTED), marks them revoked; a rotation holds the same lock
 * shared while it stores a successor (docs/security.md R4). So a rotation either commits before the revocation reads
 * the family, and its successor is revoked with the rest, or waits and then finds its token revoked.
 */
@ApplicationScoped
public class Revocations {

    private final RevocationStore store;
    private final RevocationList list;
    private final StoremanConfig config;

    Revocations(RevocationStore store, RevocationList list, StoremanConfig config) {
        this.store = store;
        this.list = list;
        this.config = config;
    }

    /**
     * Revokes one access token (D4: its refresh token keeps working). A user's token: its family's generations up to
     * the token's. A client's own token: the client's own tokens issued up to the same second (RFC 7009 §2.1 lets a
     * revocation take related tokens with it), so that revoking client tokens one by one adds one entry per client.
     */
    @WithTransaction
    public Uni<Void> revokeAccessToken(AccessToken token) {
        long until = token.expiresAt() + AccessTokenVerifier.CLOCK_SKEW_SECONDS;
        if (token.family() != null) {
            return remember(store.upsert(RevocationStore.KIND_FAMILY, token.family().toString(),
                    token.generation() + 1L, until));
        }
        return remember(store.upsert(RevocationStore.KIND_GRANT,
                RevocationStore.grantKey(token.subject(), token.clientId()), token.issuedAt() + 1, until));
    }

    /** Revokes every token of a client (the application is deleted). */
    @WithTransaction
    public Uni<Void> revokeClient(String clientId) {
        return remember(store.upsert(RevocationStore.KIND_CLIENT, clientId, cutoffNow(), cutoffExpiry()));
    }

    /**
     * Revokes every refresh token of a family and every access token issued with them, and any the family may still
     * issue: the entry outlives the family's newest access token, and an access token's lifetime from now.
     */
    @WithTransaction
    public Uni<Void> revokeFamily(UUID familyId) {
        return remember(store.revokeFamily(familyId, cutoffExpiry() - AccessTokenVerifier.CLOCK_SKEW_SECONDS));
    }

    /** Revokes every refresh and access token a user holds (password change). */
    @WithTransaction
    public Uni<Void> revokeUser(long userId) {
        long second = Instant.now().getEpochSecond();
        return remember(store.revokeUser(userId, second, second + accessTokenSeconds()));
    }

    /** Revokes the tokens one application holds for one user ("Authorized applications" > Revoke). */
    @WithTransaction
    public Uni<Void> revokeUserApplication(long userId, long applicationId, String clientId) {
        long second = Instant.now().getEpochSecond();
        return remember(store.revokeUserApplication(userId, applicationId, clientId, second,
                second + accessTokenSeconds()));
    }

    /** Takes note of a rotation that retired the family's generations below {@code generation} (its own statement). */
    public void generationRetired(UUID family, int generation, long untilEpochSecond) {
        list.revoked(RevocationStore.KIND_FAMILY, family.toString(), generation, untilEpochSecond);
    }

    /**
     * A cut-off set now, where no token can be issued after it (the client is gone), covers this very second too
     * (the bound is exclusive, and {@code iat} has whole seconds).
     */
    private static long cutoffNow() {
        return Instant.now().getEpochSecond() + 1;
    }

    private long accessTokenSeconds() {
        return config.accessTokenTtl().toSeconds() + AccessTokenVerifier.CLOCK_SKEW_SECONDS + 1;
    }

    /** When a cut-off set now can go: every token issued before it has expired, clock skew included. */
    private long cutoffExpiry() {
        return Instant.now().getEpochSecond() + accessTokenSeconds();
    }

    /** Remembers the entries a write returns on this instance at once; the others hear of them soon. */
    private Uni<Void> remember(Uni<List<RevocationStore.Entry>> written) {
        return written.invoke(entries -> entries.forEach(entry -> list.revoked(entry.kind(), entry.value(),
                entry.bound(), entry.expires()))).replaceWithVoid();
    }
}
