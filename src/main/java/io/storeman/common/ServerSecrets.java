package io.storeman.common;

import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Secrets every instance must share and no operator need supply, such as the key behind pairwise subjects: the
 * first instance to ask stores 256 random bits under the name, and every instance, then and later, reads the same
 * bits back. One statement, so that two instances starting together still agree.
 */
@ApplicationScoped
public class ServerSecrets {

    private final Pool pool;

    ServerSecrets(Pool pool) {
        this.pool = pool;
    }

    /** The secret stored under {@code name}, created now when there is none yet. */
    public Uni<byte[]> get(String name) {
        return getOrCreate(name).chain(found -> found != null ? Uni.createFrom().item(found) : getOrCreate(name))
                .onItem().ifNull().failWith(() -> new IllegalStateException("No server secret " + name));
    }

    /**
     * One attempt; null when another instance created the row concurrently, after this statement's snapshot: the
     * insert then waited and did nothing, and the select could not see the other's row yet. A second statement does.
     */
    private Uni<byte[]> getOrCreate(String name) {
        byte[] candidate = Secrets.randomBytes(32);
        // The insert's result is invisible to the outer select of the same statement, so the select names the
        // candidate itself when the row is new.
        return pool.preparedQuery("with created as (insert into server_secrets (name, value) values ($1, $2)"
                        + " on conflict (name) do nothing returning value)"
                        + " select value from created union all select value from server_secrets where name = $1"
                        + " limit 1")
                .execute(Tuple.of(name, Buffer.buffer(candidate)))
                .map(rows -> {
                    if (rows.size() == 0) {
                        return null;
                    }
                    Row row = rows.iterator().next();
                    return row.getBuffer("value").getBytes();
                });
    }
}
