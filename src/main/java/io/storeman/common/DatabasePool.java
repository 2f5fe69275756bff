package io.storeman.common;

import io.quarkus.reactive.pg.client.PgPoolCreator;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import jakarta.inject.Singleton;
import java.util.concurrent.TimeUnit;

/**
 * Builds the reactive connection pool with bounds Quarkus does not expose as settings, so that a slow or absent
 * database turns into fast failures (503) rather than requests piling up: a connect timeout, a bounded wait queue
 * with an acquisition timeout, TCP keep-alive, and a server-side statement timeout.
 */
@Singleton
public class DatabasePool implements PgPoolCreator {

    private final StoremanConfig.Database settings;

    DatabasePool(StoremanConfig config) {
        this.settings = config.database();
    }

    @Override
    public Pool create(Input input) {
        PoolOptions pool = input.poolOptions()
                .setMaxWaitQueueSize(settings.maxWaitQueue())
                .setConnectionTimeout((int) settings.acquireTimeout().toMillis())
                .setConnectionTimeoutUnit(TimeUnit.MILLISECONDS);
        for (PgConnectOptions options : input.pgConnectOptionsList()) {
            options.setConnectTimeout((int) settings.connectTimeout().toMillis())
                    .setTcpKeepAlive(true)
                    .addProperty("statement_timeout", Long.toString(settings.statementTimeout().toMillis()));
        }
        return PgBuilder.pool()
                .with(pool)
                .connectingTo(input.pgConnectOptionsList().get(0))
                .using(input.vertx())
                .build();
    }
}
