package io.storeman.ops;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Deletes rows nothing can use any more: expired refresh tokens, expired revocation entries, and whatever else
 * registers a statement here. It works in batches so no statement holds many locks, and under a transaction-level
 * advisory lock so that with many instances one does the work and the others skip the round.
 */
@ApplicationScoped
public class Housekeeping {

    private static final Logger LOG = Logger.getLogger(Housekeeping.class);
    private static final long LOCK = 0x53544f5245484b50L; // "STOREHKP"
    private static final int BATCH = 1000;
    private static final int MAX_BATCHES = 100;

    /** Table name -> a statement deleting at most $1 rows that can no longer serve any purpose. */
    private static final Map<String, String> CLEANUPS = new LinkedHashMap<>();

    static {
        CLEANUPS.put("refresh_tokens", "delete from refresh_tokens where id in (select id from refresh_tokens"
                + " where expires_at < now() - interval '1 day' limit $1)");
        // Codes outlive their expiry by a day, so that a late replay is still recognised as reuse.
        CLEANUPS.put("authorization_codes", "delete from authorization_codes where id in (select id from"
                + " authorization_codes where expires_at < now() - interval '1 day' limit $1)");
        CLEANUPS.put("device_authorizations", "delete from device_authorizations where id in (select id from"
                + " device_authorizations where expires_at < now() limit $1)");
        CLEANUPS.put("address_failures", "delete from address_failures where address in (select address from"
                + " address_failures where window_start < now() - interval '1 day' limit $1)");
        CLEANUPS.put("account_failures", "delete from account_failures where id in (select id from"
                + " account_failures where created_at < now() - interval '1 day' limit $1)");
        CLEANUPS.put("user_quotas", "delete from user_quotas where (user_id, kind) in (select user_id, kind from"
                + " user_quotas where window_start < now() - interval '1 day' limit $1)");
        CLEANUPS.put("known_addresses", "delete from known_addresses where (account, address) in (select account,"
                + " address from known_addresses where expires_at < now() limit $1)");
        CLEANUPS.put("sign_up_counts", "delete from sign_up_counts where address in (select address from"
                + " sign_up_counts where window_end < now() limit $1)");
        CLEANUPS.put("revocations", "delete from revocations where id in (select id from revocations"
                + " where expires_at < now() limit $1)");
        // A form sent again a day later is not a replay any more (D11); a waiting secret is shown within an hour.
        CLEANUPS.put("web_form_submissions", "delete from web_form_submissions where (session_hash, form_token) in"
                + " (select session_hash, form_token from web_form_submissions"
                + " where created_at < now() - interval '1 day' limit $1)");
        CLEANUPS.put("pushed_authorization_requests", "delete from pushed_authorization_requests where id in"
                + " (select id from pushed_authorization_requests where expires_at < now() limit $1)");
        CLEANUPS.put("dpop_proofs", "delete from dpop_proofs where proof_hash in (select proof_hash from dpop_proofs"
                + " where expires_at < now() limit $1)");
        CLEANUPS.put("web_sessions", "delete from web_sessions where id in (select id from web_sessions"
                + " where expires_at < now() limit $1)");
    }

    private final Pool pool;
    private final MeterRegistry registry;

    Housekeeping(Pool pool, MeterRegistry registry) {
        this.pool = pool;
        this.registry = registry;
    }

    @Scheduled(every = "${storeman.housekeeping.interval}", delayed = "1m",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduled() {
        return run().onFailure().invoke(e -> LOG.warnf("Housekeeping skipped: %s", e.getMessage())).onFailure()
                .recoverWithNull().replaceWithVoid();
    }

    /** One round; answers the rows removed per table (empty when another instance holds the lock). */
    public Uni<Map<String, Long>> run() {
        return pool.withConnection(connection -> connection
                .preparedQuery("select pg_try_advisory_lock($1) as locked").execute(Tuple.of(LOCK))
                .chain(rows -> rows.iterator().next().getBoolean("locked")
                        ? cleanAll(connection).eventually(() -> unlock(connection))
                        : Uni.createFrom().item(Map.<String, Long>of())));
    }

    private static Uni<Void> unlock(SqlConnection connection) {
        return connection.preparedQuery("select pg_advisory_unlock($1)").execute(Tuple.of(LOCK)).replaceWithVoid();
    }

    private Uni<Map<String, Long>> cleanAll(SqlConnection connection) {
        Map<String, Long> removed = new LinkedHashMap<>();
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (Map.Entry<String, String> cleanup : CLEANUPS.entrySet()) {
            chain = chain.chain(() -> clean(connection, cleanup.getValue(), 0, 0L)
                    .invoke(count -> record(cleanup.getKey(), count, removed))
                    .replaceWithVoid());
        }
        return chain.replaceWith(removed);
    }

    private Uni<Long> clean(SqlConnection connection, String statement, int batches, long total) {
        return connection.preparedQuery(statement).execute(Tuple.of(BATCH))
                .chain(result -> {
                    long sum = total + result.rowCount();
                    return result.rowCount() < BATCH || batches + 1 >= MAX_BATCHES
                            ? Uni.createFrom().item(sum)
                            : clean(connection, statement, batches + 1, sum);
                });
    }

    private void record(String table, long count, Map<String, Long> removed) {
        removed.put(table, count);
        Counter.builder("storeman.housekeeping.removed")
                .description("Rows removed by housekeeping").tag("table", table)
                .register(registry).increment(count);
    }
}
