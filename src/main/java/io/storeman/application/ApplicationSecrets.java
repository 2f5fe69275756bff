package io.storeman.application;

import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import io.storeman.common.ProblemException;
import io.storeman.common.Secrets;
import io.storeman.security.AuditLog;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;

/**
 * The secrets of a user's confidential applications (D10): add one beside the others, list them (never their
 * values: only hashes are kept), delete one, or replace them all by a new one. Every change first locks the
 * application's row, so that two changes of one application happen one after the other and the limit of
 * {@link #MAX_SECRETS} holds however many arrive at once; it then touches that row, whose trigger
 * ({@code V6__notify_after_commit.sql}) tells every instance to forget the application, so a deleted secret stops
 * working everywhere within moments.
 */
@ApplicationScoped
public class ApplicationSecrets {

    /** Enough to rotate without downtime and to give a few deployments each their own; more would be forgotten. */
    public static final int MAX_SECRETS = 5;
    static final String PUBLIC_MESSAGE = "A public application has no secret.";
    static final String LIMIT_MESSAGE = "An application holds at most " + MAX_SECRETS
            + " secrets: delete one before adding another.";
    static final String LAST_MESSAGE = "An application keeps at least one secret: add another one before deleting"
            + " this one, or regenerate the secret.";

    /** A secret just made, with its value in plain text: the only time it is known. */
    public record NewSecret(OAuthApplication application, ClientSecret secret, String value) {
    }

    private final ApplicationRepository applications;
    private final ClientSecretRepository secrets;
    private final ClientCache clients;
    private final AuditLog audit;

    ApplicationSecrets(ApplicationRepository applications, ClientSecretRepository secrets, ClientCache clients,
            AuditLog audit) {
        this.applications = applications;
        this.secrets = secrets;
        this.clients = clients;
        this.audit = audit;
    }

    /** The owner's application's secrets, oldest first; a 404 when it is not the owner's. */
    public Uni<List<ClientSecret>> list(long ownerId, long applicationId) {
        return applications.findOwned(applicationId, ownerId)
                .onItem().ifNull().failWith(ProblemException::notFound)
                .chain(this::list);
    }

    /** The secrets of an application the caller has already found as its owner's. */
    public Uni<List<ClientSecret>> list(OAuthApplication application) {
        return secrets.listByApplication(application.id);
    }

    /** One secret of the owner's application, or a 404. */
    public Uni<ClientSecret> find(long ownerId, long applicationId, long secretId) {
        return applications.findOwned(applicationId, ownerId)
                .onItem().ifNull().failWith(ProblemException::notFound)
                .chain(application -> secrets.findOfApplication(secretId, application.id))
                .onItem().ifNull().failWith(ProblemException::notFound);
    }

    /** A new secret that works beside the others; a 409 at the limit or for a public application. */
    @WithTransaction
    public Uni<NewSecret> add(long ownerId, long applicationId) {
        return lockedConfidential(ownerId, applicationId)
                .call(application -> secrets.count("applicationId", application.id)
                        .invoke(count -> {
                            if (count >= MAX_SECRETS) {
                                throw ProblemException.conflict(LIMIT_MESSAGE);
                            }
                        }))
                .chain(this::persistNew)
                .invoke(created -> audit.record(AuditLog.Event.SECRET_CREATED, ownerId,
                        created.application().clientId));
    }

    /**
     * Replaces every secret of the application by one new secret: the old ones stop working at once. Tokens already
     * issued keep working; refreshing them needs the new secret.
     */
    @WithTransaction
    public Uni<NewSecret> replaceAll(long ownerId, long applicationId) {
        return lockedConfidential(ownerId, applicationId)
                .call(application -> secrets.deleteByApplication(application.id))
                .chain(this::persistNew)
                .invoke(created -> audit.record(AuditLog.Event.SECRET_REGENERATED, ownerId,
                        created.application().clientId));
    }

    /** Deletes one secret; the others keep working. The last one stays (409): regenerate it instead. */
    @WithTransaction
    public Uni<Void> delete(long ownerId, long applicationId, long secretId) {
        return locked(ownerId, applicationId)
                .chain(application -> secrets.findOfApplication(secretId, application.id)
                        .onItem().ifNull().failWith(ProblemException::notFound)
                        .call(secret -> secrets.count("applicationId", application.id)
                                .invoke(count -> {
                                    if (count <= 1) {
                                        throw ProblemException.conflict(LAST_MESSAGE);
                                    }
                                }))
                        .call(secrets::delete)
                        .invoke(() -> changed(application))
                        .invoke(() -> audit.record(AuditLog.Event.SECRET_DELETED, ownerId, application.clientId)))
                .replaceWithVoid();
    }

    /** The first secret of a new confidential application; joins the caller's transaction. */
    Uni<NewSecret> first(OAuthApplication application) {
        return persistNew(application);
    }

    private Uni<OAuthApplication> locked(long ownerId, long applicationId) {
        return applications.findOwnedForUpdate(applicationId, ownerId)
                .onItem().ifNull().failWith(ProblemException::notFound);
    }

    private Uni<OAuthApplication> lockedConfidential(long ownerId, long applicationId) {
        return locked(ownerId, applicationId)
                .invoke(application -> {
                    if (!application.confidential) {
                        throw ProblemException.conflict(PUBLIC_MESSAGE);
                    }
                });
    }

    private Uni<NewSecret> persistNew(OAuthApplication application) {
        String value = Secrets.newToken();
        ClientSecret secret = new ClientSecret();
        secret.applicationId = application.id;
        secret.secretHash = Secrets.sha256(value);
        secret.createdAt = Instant.now();
        return secrets.persist(secret)
                .invoke(() -> changed(application))
                .map(saved -> new NewSecret(application, saved, value));
    }

    /**
     * Marks the application changed: its row's update tells every instance to forget it, and the legacy column of
     * {@code V11__client_secrets.sql} no longer names a secret an instance of the previous version would accept.
     */
    private void changed(OAuthApplication application) {
        application.legacySecretHash = null;
        application.updatedAt = Instant.now();
        clients.forget(application.clientId);
    }
}
