package io.storeman.application;

import com.github.benmanes.caffeine.cache.AsyncLoadingCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.storeman.common.DatabaseNotifications;
import io.storeman.common.Secrets;
import io.storeman.oauth.Scopes;
import io.vertx.core.Context;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The applications that authenticate at the OAuth endpoints, by client id, with the hashes of their live secrets
 * (D10), kept in memory so that a token request needs no database round trip to know its client. An application
 * changed or deleted here is forgotten at once; on every other instance when the trigger of
 * {@code V6__notify_after_commit.sql} tells it ({@code storeman_applications}), and after a reconnection of that
 * channel everything is forgotten. A change of an application's secrets touches its row, so the same trigger carries
 * it. A minute's expiry bounds the damage of a notification lost anyway.
 * <p>
 * The cached objects are detached copies, shared between requests: read them, never change them.
 */
@ApplicationScoped
public class ClientCache {

    static final String CHANNEL = "storeman_applications";

    private final Pool pool;
    private final DatabaseNotifications notifications;
    private final AsyncLoadingCache<String, CachedClient> clients;

    /** An application and its live secrets. */
    public record CachedClient(OAuthApplication application, List<SecretHash> secrets) {

        /**
         * The id of the secret whose hash is {@code presentedHash}, or null. Every secret is compared, each in
         * constant time, so the time taken tells nothing about which one matched or how much of it.
         */
        public Long secretMatching(String presentedHash) {
            Long matched = null;
            for (SecretHash secret : secrets) {
                if (Secrets.constantTimeEquals(presentedHash, secret.hash()) && matched == null) {
                    matched = secret.id();
                }
            }
            return matched;
        }
    }

    /** One live secret, as its SHA-256. */
    public record SecretHash(long id, String hash) {
    }

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

    /** The application with this client id and its secrets, or null; resumes on the caller's Vert.x context. */
    public Uni<CachedClient> find(String clientId) {
        if (!ApplicationRepository.isPossibleClientId(clientId)) {
            return Uni.createFrom().nullItem();
        }
        CompletableFuture<CachedClient> found = clients.get(clientId);
        if (found.isDone() && !found.isCompletedExceptionally()) {
            return Uni.createFrom().item(found.join());
        }
        Context context = io.vertx.core.Vertx.currentContext();
        Uni<CachedClient> loaded = Uni.createFrom().completionStage(found);
        return context == null ? loaded : loaded.emitOn(task -> context.runOnContext(v -> task.run()));
    }

    /** Forgets an application that has changed or gone. */
    public void forget(String clientId) {
        clients.synchronous().invalidate(clientId);
    }

    private CompletableFuture<CachedClient> load(String clientId) {
        return pool.preparedQuery("select a.id, a.owner_id, a.name, a.client_id, a.scopes, a.redirect_uri,"
                + " a.confidential, a.post_logout_redirect_uris, a.id_token_signed_response_alg, a.subject_type,"
                + " a.dpop_bound_access_tokens, a.require_pushed_authorization_requests,"
                + " a.created_at, a.updated_at, s.id as secret_id, s.secret_hash"
                + " from oauth_applications a left join client_secrets s on s.application_id = a.id"
                + " where a.client_id = $1 order by s.id")
                .execute(Tuple.of(clientId))
                .map(ClientCache::client)
                .subscribeAsCompletionStage();
    }

    /** One row per secret (one without a secret for a public client); null when there is no such application. */
    private static CachedClient client(RowSet<Row> rows) {
        OAuthApplication application = null;
        List<SecretHash> secrets = new ArrayList<>();
        for (Row row : rows) {
            if (application == null) {
                application = application(row);
            }
            Long secretId = row.getLong("secret_id");
            if (secretId != null) {
                secrets.add(new SecretHash(secretId, row.getString("secret_hash")));
            }
        }
        return application == null ? null : new CachedClient(application, List.copyOf(secrets));
    }

    private static OAuthApplication application(Row row) {
        OAuthApplication application = new OAuthApplication();
        application.id = row.getLong("id");
        application.ownerId = row.getLong("owner_id");
        application.name = row.getString("name");
        application.clientId = row.getString("client_id");
        application.scopes = Scopes.parseStored(row.getString("scopes"));
        application.redirectUri = row.getString("redirect_uri");
        application.confidential = row.getBoolean("confidential");
        application.postLogoutRedirectUris = UriListColumn.parse(row.getString("post_logout_redirect_uris"));
        application.idTokenSignedResponseAlg = row.getString("id_token_signed_response_alg");
        application.subjectType = row.getString("subject_type");
        application.dpopBoundAccessTokens = row.getBoolean("dpop_bound_access_tokens");
        application.requirePushedAuthorizationRequests = row.getBoolean("require_pushed_authorization_requests");
        application.createdAt = row.getOffsetDateTime("created_at").toInstant();
        application.updatedAt = row.getOffsetDateTime("updated_at").toInstant();
        return application;
    }
}
