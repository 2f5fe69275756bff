package io.storeman.common;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.mutiny.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.pubsub.PgSubscriber;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Optional;
import java.util.function.Consumer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * One dedicated PostgreSQL connection that LISTENs for the channels the instance cares about (revocations, blocked
 * addresses), so that what one instance does is seen by all within milliseconds. It reconnects on its own; each
 * listener is told of every (re)subscription so it can resynchronise what it may have missed.
 */
@ApplicationScoped
public class DatabaseNotifications {

    private static final Logger LOG = Logger.getLogger(DatabaseNotifications.class);
    private static final long RECONNECT_DELAY_MS = 500;

    private final PgSubscriber subscriber;

    DatabaseNotifications(Vertx vertx,
            @ConfigProperty(name = "quarkus.datasource.reactive.url") String url,
            @ConfigProperty(name = "quarkus.datasource.username") Optional<String> username,
            @ConfigProperty(name = "quarkus.datasource.password") Optional<String> password) {
        PgConnectOptions options = PgConnectOptions.fromUri(url.startsWith("vertx-reactive:")
                ? url.substring("vertx-reactive:".length())
                : url);
        username.ifPresent(options::setUser);
        password.ifPresent(options::setPassword);
        this.subscriber = PgSubscriber.subscriber(vertx.getDelegate(), options)
                .reconnectPolicy(retries -> RECONNECT_DELAY_MS);
    }

    /** Delivers each notification on {@code channel}; {@code onSubscribe} runs after every (re)connection. */
    public void listen(String channel, Consumer<String> handler, Runnable onSubscribe) {
        subscriber.channel(channel)
                .handler(handler::accept)
                .subscribeHandler(v -> onSubscribe.run());
    }

    void connect(@Observes @Priority(5000) StartupEvent event) {
        subscriber.connect().onFailure(e -> LOG.warnf("LISTEN connection failed, retrying: %s", e.getMessage()));
    }

    void close(@Observes ShutdownEvent event) {
        subscriber.close();
    }
}
