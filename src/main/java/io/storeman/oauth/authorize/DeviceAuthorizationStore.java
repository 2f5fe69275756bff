package io.storeman.oauth.authorize;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.storeman.oauth.Scopes;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Iterator;
import java.util.UUID;

/**
 * The SQL of {@code device_authorizations} (RFC 8628). Every change of a row is one conditional statement, so that
 * with any number of instances one decision and one redemption win, and the polling interval is the same everywhere
 * (G5). The issue and the poll run on the pool, outside any Hibernate session: the poll is the token endpoint's hot
 * path for a waiting device; the decision and the redemption run in the caller's transaction, beside the consent and
 * the new tokens they must commit with.
 */
@ApplicationScoped
public class DeviceAuthorizationStore {

    /** How an insert went: stored, the user code taken by another row (draw again), or the client's bound reached. */
    public enum Insert {
        STORED, USER_CODE_TAKEN, CLIENT_FULL
    }

    /** Why a device code cannot be polled: unknown (or another client's), already redeemed, or expired. */
    public enum Unusable {
        UNKNOWN, USED, EXPIRED
    }

    /**
     * A live device code as a poll leaves it: {@code tooFast} when this poll came sooner than the interval after the
     * previous one, which made the interval 5 seconds longer ({@code intervalSeconds} is the new one).
     */
    public record Poll(long id, String status, boolean tooFast, int intervalSeconds, Long userId, Instant authTime,
            Scopes scope, UUID familyId) {
    }

    /** An undecided request as the device page shows it. */
    public record Pending(long id, long applicationId, String application, Scopes scope) {
    }

    /**
     * $1 application, $2 device code hash, $3 user code hash, $4 scope, $5 family, $6 interval, $7 lifetime in
     * seconds, $8 the client's bound: one statement, under a transaction-level advisory lock per client so that
     * concurrent requests cannot overrun the bound.
     */
    private static final String INSERT = """
            insert into device_authorizations (application_id, device_code_hash, user_code_hash, scope, family_id,
                interval_seconds, expires_at)
            select $1, $2, $3, $4, $5, $6, now() + make_interval(secs => $7)
            where (select count(*) from device_authorizations
                   where application_id = $1 and status = 'pending' and expires_at > now()) < $8
            on conflict (user_code_hash) do nothing
            """;

    /**
     * $1 device code hash, $2 application: records the poll of a live, unredeemed code and says whether it came too
     * soon, in which case the interval grows by 5 seconds (RFC 8628 §3.5). The row lock orders concurrent polls.
     */
    private static final String POLL = """
            update device_authorizations d set
                last_polled_at = now(),
                interval_seconds = case when o.too_fast then d.interval_seconds + 5 else d.interval_seconds end
            from (select id, last_polled_at is not null
                         and last_polled_at > now() - make_interval(secs => interval_seconds) as too_fast
                  from device_authorizations
                  where device_code_hash = $1 and application_id = $2 and status <> 'used' and expires_at > now()
                  for update) o
            where d.id = o.id
            returning d.id, d.status, o.too_fast, d.interval_seconds, d.user_id, d.auth_time, d.scope, d.family_id
            """;

    private final Pool pool;

    DeviceAuthorizationStore(Pool pool) {
        this.pool = pool;
    }

    /** Stores a new request unless its user code is taken or the client holds {@code maxPending} undecided ones. */
    public Uni<Insert> insert(long applicationId, String deviceCodeHash, String userCodeHash, Scopes scope,
            Duration ttl, int intervalSeconds, int maxPending) {
        return pool.withTransaction(connection -> connection
                .preparedQuery("select pg_advisory_xact_lock(hashtextextended('device_authorizations ' || $1, 0))")
                .execute(Tuple.of(Long.toString(applicationId)))
                .chain(() -> connection.preparedQuery(INSERT).execute(Tuple.tuple()
                        .addLong(applicationId).addString(deviceCodeHash).addString(userCodeHash)
                        .addString(scope.toString()).addUUID(UUID.randomUUID()).addInteger(intervalSeconds)
                        .addDouble((double) ttl.toSeconds()).addInteger(maxPending)))
                .chain(inserted -> inserted.rowCount() == 1
                        ? Uni.createFrom().item(Insert.STORED)
                        : connection.preparedQuery("select count(*) as taken from device_authorizations"
                                        + " where user_code_hash = $1")
                                .execute(Tuple.of(userCodeHash))
                                .map(rows -> rows.iterator().next().getLong("taken") > 0
                                        ? Insert.USER_CODE_TAKEN
                                        : Insert.CLIENT_FULL)));
    }

    /** Records a poll by the client the code was issued to; null when the code is not live for it. */
    public Uni<Poll> poll(String deviceCodeHash, long applicationId) {
        return pool.preparedQuery(POLL).execute(Tuple.of(deviceCodeHash, applicationId)).map(rows -> {
            Iterator<Row> found = rows.iterator();
            if (!found.hasNext()) {
                return null;
            }
            Row row = found.next();
            OffsetDateTime authTime = row.getOffsetDateTime("auth_time");
            return new Poll(row.getLong("id"), row.getString("status"), row.getBoolean("too_fast"),
                    row.getInteger("interval_seconds"), row.getLong("user_id"),
                    authTime == null ? null : authTime.toInstant(), Scopes.parseStored(row.getString("scope")),
                    row.getUUID("family_id"));
        });
    }

    /** Why a code {@link #poll} did not find live cannot be used by this client. */
    public Uni<Unusable> unusable(String deviceCodeHash, long applicationId) {
        return pool.preparedQuery("select status = 'used' as used from device_authorizations"
                        + " where device_code_hash = $1 and application_id = $2")
                .execute(Tuple.of(deviceCodeHash, applicationId))
                .map(rows -> {
                    Iterator<Row> found = rows.iterator();
                    if (!found.hasNext()) {
                        return Unusable.UNKNOWN;
                    }
                    return found.next().getBoolean("used") ? Unusable.USED : Unusable.EXPIRED;
                });
    }

    /** The undecided, unexpired request of a user code, with its application's name; null when there is none. */
    public Uni<Pending> pending(String userCodeHash) {
        return pool.preparedQuery("""
                        select d.id, d.application_id, a.name, d.scope
                        from device_authorizations d join oauth_applications a on a.id = d.application_id
                        where d.user_code_hash = $1 and d.status = 'pending' and d.expires_at > now()
                        """)
                .execute(Tuple.of(userCodeHash))
                .map(DeviceAuthorizationStore::pendingOf);
    }

    private static Pending pendingOf(RowSet<Row> rows) {
        Iterator<Row> found = rows.iterator();
        if (!found.hasNext()) {
            return null;
        }
        Row row = found.next();
        return new Pending(row.getLong("id"), row.getLong("application_id"), row.getString("name"),
                Scopes.parseStored(row.getString("scope")));
    }

    /**
     * The user's decision on an undecided, unexpired request, in the caller's transaction: approving binds the request
     * to the user for good. False when it was decided already or has expired.
     */
    public Uni<Boolean> decide(long id, boolean approve, long userId, Instant authTime) {
        return Panache.getSession()
                .chain(session -> session.createNativeQuery("""
                                update device_authorizations set status = :status, user_id = :user,
                                    auth_time = to_timestamp(:authTime), decided_at = now()
                                where id = :id and status = 'pending' and expires_at > now()
                                """)
                        .setParameter("status", approve ? "approved" : "denied")
                        .setParameter("user", userId)
                        .setParameter("authTime", authTime.toEpochMilli() / 1000.0)
                        .setParameter("id", id)
                        .executeUpdate())
                .map(count -> count == 1);
    }

    /** Marks an approved, unexpired request redeemed, in the caller's transaction: of concurrent ones, one wins. */
    public Uni<Boolean> markUsed(long id) {
        return Panache.getSession()
                .chain(session -> session.createNativeQuery("""
                                update device_authorizations set status = 'used'
                                where id = :id and status = 'approved' and expires_at > now()
                                """)
                        .setParameter("id", id)
                        .executeUpdate())
                .map(count -> count == 1);
    }
}
