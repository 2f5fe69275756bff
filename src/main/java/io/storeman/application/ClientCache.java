package io.storeman.application;

import com.github.benmanes.caffeine.cache.AsyncLoadingCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.storeman.common.DatabaseNotifications;
import io.vertx.core.Context;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowIterator;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * The applications that authenticate at the OAuth endpoints, by client id, kept in memory so that a token request
 * needs no database round trip to know its client. An application changed or deleted here is forgotten at once; on
 * every other instance when the trigger of {@code V6__notify_after_commit.sql} tells it
 * ({@code storeman_applications}), and after a reconnection of that channel everything is forgotten. A minute's
 * expiry bounds the damage of a notification lost anyway.
 * <p>
 * The cached objects are detached copies, shared between requests: read them, never change them.
 */
@ApplicationScoped
public class ClientCache {

    static final String CHANNEL = "storeman_applications";

    private final Pool pool;
    private final DatabaseNotifications notifications;
    private final AsyncLoadingCache<String, OAuthApplication> clients;

    ClientCache(Pool pool, DatabaseNotifications notifications) {
        this.pool = pool;
        this.notifications = notifications;
        this.clients = Caffeine.newBuilder()
                .maximumSize(10_000)
                .expireAfterWrite(Duration.ofMinutes(1))
                .buildAsync((clientId, executor) -> load(clientId));
    }

    void onStart(@Observes StartupEvent event) {
        notifications.listen(CHANNEL, this::forget, () -> clients.synchronous().invalidateAll());
    }

    /** The application with this client id, or null; resumes on the caller's Vert.x context. */
    public Uni<OAuthApplication> find(String clientId) {
        if (!ApplicationRepository.isPossibleClientId(clientId)) {
            return Uni.createFrom().nullItem();
        }
        CompletableFuture<OAuthApplication> found = clients.get(clientId);
        if (found.isDone() && !found.isCompletedExceptionally()) {
            return Uni.createFrom().item(found.join());
        }
        Context context = io.vertx.core.Vertx.currentContext();
        Uni<OAuthApplication> loaded = Uni.createFrom().completionStage(found);
        return context == null ? loaded : loaded.emitOn(task -> context.runOnContext(v -> task.run()));
    }

    /** Forgets an application that has changed or gone. */
    public void forget(String clientId) {
        clients.synchronous().invalidate(clientId);
    }

    private CompletableFuture<OAuthApplication> load(String clientId) {
        return pool.preparedQuery("select id, owner_id, name, client_id, secret_hash, scopes, redirect_uri,"
                + " confidential, created_at, updated_at from oauth_applications where client_id = $1")
                .execute(Tuple.of(clientId))
                .map(rows -> {
                    RowIterator<Row> found = rows.iterator();
                    return found.hasNext() ? application(found.next()) : null;
                })
                .subscribeAsCompletionStage();
    }

    private static OAuthApplication application(Row row) {
        OAuthApplication application = new OAuthApplication();
        application.id = row.getLong("id");
        application.ownerId = row.getLong("owner_id");
        application.name = row.getString("name");
        application.clientId = row.getString("client_id");
        application.secretHash = row.getString("secret_hash");
        application.scopes = row.getString("scopes");
        application.redirectUri = row.getString("redirect_uri");
        application.confidential = row.getBoolean("confidential");
        application.createdAt = row.getOffsetDateTime("created_at").toInstant();
        application.updatedAt = row.getOffsetDateTime("updated_at").toInstant();
        return application;
    }
}
