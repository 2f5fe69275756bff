package io.storeman.application;

import io.quarkus.hibernate.reactive.panache.PanacheRepository;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import io.storeman.common.TextInput;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.util.List;

@ApplicationScoped
@WithSession
public class ApplicationRepository implements PanacheRepository<OAuthApplication> {

    public Uni<OAuthApplication> findByClientId(String clientId) {
        if (!isPossibleClientId(clientId)) {
            return Uni.createFrom().nullItem();
        }
        return find("clientId", clientId).firstResult();
    }

    /**
     * Whether a client id is worth looking up (L4, L8): one too long or holding a control character (which
     * PostgreSQL refuses) or an unpaired surrogate belongs to no application.
     */
    static boolean isPossibleClientId(String clientId) {
        return TextInput.isPlain(clientId, TextInput.MAX_CLIENT_ID_LENGTH);
    }

    public Uni<List<OAuthApplication>> listByOwner(long ownerId) {
        return list("ownerId", Sort.by("id"), ownerId);
    }

    public Uni<OAuthApplication> findOwned(long id, long ownerId) {
        return find("id = ?1 and ownerId = ?2", id, ownerId).firstResult();
    }

    /**
     * The owner's application, its row locked until the transaction ends: changes of one application's secrets wait
     * for each other (D10), and so do changes of its registration (O10).
     */
    public Uni<OAuthApplication> findOwnedForUpdate(long id, long ownerId) {
        return find("id = ?1 and ownerId = ?2", id, ownerId).withLock(LockModeType.PESSIMISTIC_WRITE).firstResult();
    }

    public Uni<List<OAuthApplication>> findByIds(List<Long> ids) {
        return ids.isEmpty() ? Uni.createFrom().item(List.of()) : list("id in ?1", ids);
    }
}
