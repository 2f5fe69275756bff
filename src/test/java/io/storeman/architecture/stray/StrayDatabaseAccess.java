package io.storeman.architecture.stray;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import org.hibernate.reactive.mutiny.Mutiny;

/** Reaches the database past the repositories twice, for {@code PersistenceRuleTest} to catch; never run. */
public class StrayDatabaseAccess {

    private final Pool pool;

    StrayDatabaseAccess(Pool pool) {
        this.pool = pool;
    }

    Uni<?> count() {
        return pool.query("select 1").execute();
    }

    /** A native query, with no pool in sight. */
    public static class NativeOnly {

        Uni<?> count(Mutiny.Session session) {
            return session.createNativeQuery("select 1").getSingleResult();
        }
    }
}
