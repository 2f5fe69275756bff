package io.storeman.oauth.revoke;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import io.storeman.oauth.token.AccessToken;
import io.storeman.oauth.token.AccessTokenVerifier;
import io.storeman.oauth.token.RefreshTokenStore;
import io.vertx.mutiny.sqlclient.Cursor;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * The SQL of the {@code revocations} table (V9__revocation_families.sql), and of the refresh tokens a revocation
 * marks revoked. The writes are native statements on the caller's Hibernate session, so they join its transaction;
 * each is one set-based statement, idempotent and safe on any number of instances, and returns the entries it wrote
 * for this instance's copy. The reads of {@link RevocationList} (a page, or a cursor at start) and its wake-ups run on
 * the reactive pool: a cursor and {@code NOTIFY} are beyond Hibernate.
 */
@ApplicationScoped
public class RevocationStore {

    static final String KIND_FAMILY = "family";
    static final String KIND_USER = "user";
    static final String KIND_CLIENT = "client";
    static final String KIND_GRANT = "grant";
    static final String KIND_ALL = "all";
    /** The bound of a family entry that revokes every generation. */
    static final long WHOLE_FAMILY = Integer.MAX_VALUE;
    /** Entries read from the database at a time. */
    static final int PAGE_ROWS = 5_000;

    /** An entry of the list: tokens of {@code kind} and {@code value} below {@code bound}, until {@code expires}. */
    record Entry(String kind, String value, long bound, long expires) {
    }

    private static final String UPSERT = """
            insert into revocations as r (kind, value, bound, expires_at) %s
            on conflict (kind, value) do update set bound = greatest(r.bound, excluded.bound),
                expires_at = greatest(r.expires_at, excluded.expires_at), txid = pg_current_xact_id()
            returning kind, value, bound, floor(extract(epoch from expires_at))::bigint as expires
            """;

    /**
     * Marks the refresh tokens matching %s revoked, in front of an {@link #UPSERT} that reads {@code revoked}: a
     * statement that does not read its data-modifying WITH may run it after the upsert, and two revocations of one
     * family taking the entry's lock and the refresh tokens' locks in opposite orders deadlock. Every statement here
     * locks the refresh tokens first, then the entry, as a rotation does.
     */
    private static final String REVOKE_REFRESH_TOKENS = """
            with revoked as (
                update refresh_tokens set revoked_at = now() where %s and revoked_at is null returning 1
            )
            """;

    /**
     * Whether a token is revoked, by the same rules as the copy in memory: the token's family generation, and the
     * cut-offs for its user, its client, both, and everyone.
     */
    private static final String REVOKED = """
            select count(*) from revocations where expires_at > now() and (
                (kind = 'family' and value = :family and bound > :generation)
                or (kind = 'user' and value = :subject and bound > :issued)
                or (kind = 'client' and value = :client and bound > :issued)
                or (kind = 'grant' and value = :grant and bound > :issued)
                or (kind = 'all' and bound > :issued))
            """;

    private final Pool pool;

    RevocationStore(Pool pool) {
        this.pool = pool;
    }

    /** The key of a cut-off for one subject (a user id, or a client for itself) at one client. */
    public static String grantKey(String subject, String clientId) {
        return subject + " " + clientId;
    }

    /** Merges one entry into the table. */
    Uni<List<Entry>> upsert(String kind, String value, long bound, long untilEpochSecond) {
        return execute(UPSERT.formatted("values (:kind, :value, :bound, to_timestamp(:until))"),
                Map.of("kind", kind, "value", value, "bound", bound, "until", untilEpochSecond));
    }

    /**
     * Revokes the family's refresh tokens and all its generations, under its user's grant lock, until its newest
     * access token has expired and no earlier than {@code untilEpochSecond}.
     */
    Uni<List<Entry>> revokeFamily(UUID familyId, long untilEpochSecond) {
        // A family with no live refresh token left cannot rotate: the revocations that lose a race over one reuse
        // find it revoked already, and do not queue for the lock holding a connection each.
        Uni<Void> locked = lockGrants("select user_id from refresh_tokens where family_id = :family"
                + " and revoked_at is null limit 1", Map.of("family", familyId));
        return locked.chain(() -> execute(REVOKE_REFRESH_TOKENS.formatted("family_id = :family") + UPSERT.formatted("""
                select 'family', :value, :bound, greatest(max(access_expires_at), to_timestamp(:until))
                    + make_interval(secs => :skew)
                from refresh_tokens where family_id = :family and (select count(*) from revoked) >= 0
                """), Map.of("family", familyId, "value", familyId.toString(), "bound", WHOLE_FAMILY,
                "until", untilEpochSecond, "skew", AccessTokenVerifier.CLOCK_SKEW_SECONDS)));
    }

    /** Revokes every token of the user (see {@link #revokeUpTo}). */
    Uni<List<Entry>> revokeUser(long userId, long second, long untilEpochSecond) {
        return lockGrants(userId).chain(() -> revokeUpTo("user_id = :user", Map.of("user", userId), KIND_USER,
                Long.toString(userId), second, untilEpochSecond));
    }

    /** Revokes every token of the user at one application (see {@link #revokeUpTo}). */
    Uni<List<Entry>> revokeUserApplication(long userId, long applicationId, String clientId, long second,
            long untilEpochSecond) {
        return lockGrants(userId).chain(() -> revokeUpTo("user_id = :user and application_id = :application",
                Map.of("user", userId, "application", applicationId), KIND_GRANT,
                grantKey(Long.toString(userId), clientId), second, untilEpochSecond));
    }

    /** Whether the database's list revokes the token: for answers that must hold for every instance. */
    @WithSession
    public Uni<Boolean> isRevoked(AccessToken token) {
        return Panache.getSession()
                .chain(session -> session.createNativeQuery(REVOKED, Long.class)
                        .setParameter("family", token.family() == null ? "" : token.family().toString())
                        .setParameter("generation", (long) token.generation())
                        .setParameter("subject", token.subject())
                        .setParameter("client", token.clientId())
                        .setParameter("grant", grantKey(token.subject(), token.clientId()))
                        .setParameter("issued", token.issuedAt())
                        .getSingleResult())
                .map(count -> count > 0);
    }

    /**
     * Marks the refresh tokens matching {@code condition} revoked, and revokes the access tokens issued with them: a
     * cut-off of {@code kind} for those issued before {@code second}, and their family entries for those issued
     * within it ({@code iat} has whole seconds, and a token issued in this second after the revocation, as when the
     * user signs in again at once, must keep working).
     */
    private Uni<List<Entry>> revokeUpTo(String condition, Map<String, Object> parameters, String kind, String value,
            long second, long untilEpochSecond) {
        Map<String, Object> all = new HashMap<>(parameters);
        all.putAll(Map.of("kind", kind, "value", value, "bound", second, "whole", WHOLE_FAMILY,
                "skew", AccessTokenVerifier.CLOCK_SKEW_SECONDS, "until", untilEpochSecond));
        return execute("""
                with revoked as (
                    update refresh_tokens set revoked_at = now() where %s and revoked_at is null
                    returning family_id, created_at, access_expires_at
                ), this_second as (
                    %s
                ), cutoff as (
                    %s
                )
                select * from this_second union all select * from cutoff
                """.formatted(condition, UPSERT.formatted("""
                select 'family', family_id::text, :whole, max(access_expires_at) + make_interval(secs => :skew)
                from revoked where created_at >= to_timestamp(:bound) group by family_id
                """), UPSERT.formatted("""
                select :kind, :value, :bound, to_timestamp(:until) where (select count(*) from revoked) >= 0
                """)), all);
    }

    private static Uni<Void> lockGrants(long userId) {
        return lockGrants("select cast(:user as bigint)", Map.of("user", userId));
    }

    /** Takes the grant locks (docs/security.md R4) of the users {@code users} selects, in the caller's transaction. */
    private static Uni<Void> lockGrants(String users, Map<String, Object> parameters) {
        return Panache.getSession()
                .chain(session -> {
                    var query = session.createNativeQuery(RefreshTokenStore.lockGrants(users), Long.class);
                    parameters.forEach(query::setParameter);
                    return query.getSingleResult();
                })
                .replaceWithVoid();
    }

    private static Uni<List<Entry>> execute(String sql, Map<String, Object> parameters) {
        return Panache.getSession()
                .chain(session -> {
                    var query = session.createNativeQuery(sql, Object[].class);
                    parameters.forEach(query::setParameter);
                    return query.getResultList();
                })
                .map(rows -> rows.stream().map(row -> new Entry((String) row[0], (String) row[1],
                        ((Number) row[2]).longValue(), ((Number) row[3]).longValue())).toList());
    }

    /** Wakes every instance listening on {@code channel}, naming the sender. */
    Uni<Void> notify(String channel, String sender) {
        return pool.preparedQuery("select pg_notify($1, $2)").execute(Tuple.of(channel, sender)).replaceWithVoid();
    }

    /**
     * Hands {@code sink} the entries of every transaction from {@code fromTxid} on (all unexpired ones when null);
     * the xmin of the read's snapshot, where the next read starts. Usually they are few, and one statement (prepared
     * once per connection) reads them all. When they fill a page, as at the start of a busy service with hundreds of
     * thousands, they are read again through a cursor, {@link #PAGE_ROWS} rows at a time: as one result they would
     * take far more memory than the list itself, and more than the heap has at start. Reading an entry twice does no
     * harm.
     */
    Uni<Long> readSince(Long fromTxid, Consumer<Entry> sink) {
        return pool.preparedQuery(select(fromTxid) + " limit " + PAGE_ROWS).execute(arguments(fromTxid))
                .chain(rows -> rows.size() < PAGE_ROWS
                        ? Uni.createFrom().item(handAll(rows, null, sink))
                        : pool.withTransaction(connection -> read(connection, fromTxid, sink)));
    }

    /**
     * Hands {@code sink} the entries since {@code fromTxid} (all, when null), read through a cursor on
     * {@code connection} inside its transaction; the xmin of the read's snapshot. The statement is prepared for the
     * cursor and closed after it: the client's statement cache does not hold statements prepared by hand.
     */
    Uni<Long> read(SqlConnection connection, Long fromTxid, Consumer<Entry> sink) {
        return connection.prepare(select(fromTxid)).chain(statement ->
                readRest(statement.cursor(arguments(fromTxid)), null, sink).eventually(statement::close));
    }

    /**
     * The entries since $1 (a transaction id; all unexpired ones without it), each row with the xmin of the
     * statement's snapshot, where the next poll starts; one row without an entry when there is none.
     */
    private static String select(Long fromTxid) {
        return "select pg_snapshot_xmin(pg_current_snapshot())::text as xmin, kind, value, bound,"
                + " floor(extract(epoch from expires_at))::bigint as exp"
                + " from (select 1) as clock left join revocations on expires_at > now()"
                + (fromTxid == null ? "" : " and txid >= $1::text::xid8");
    }

    private static Tuple arguments(Long fromTxid) {
        return fromTxid == null ? Tuple.tuple() : Tuple.of(fromTxid.toString());
    }

    /** Hands on the rest of the cursor's rows; the xmin of its snapshot. */
    private static Uni<Long> readRest(Cursor cursor, Long xmin, Consumer<Entry> sink) {
        return cursor.read(PAGE_ROWS).chain(rows -> {
            Long snapshotXmin = handAll(rows, xmin, sink);
            return cursor.hasMore() ? readRest(cursor, snapshotXmin, sink)
                    : cursor.close().replaceWith(snapshotXmin);
        });
    }

    /** Hands on the entries among {@code rows}; the xmin they carry ({@code xmin} if known already). */
    private static Long handAll(RowSet<Row> rows, Long xmin, Consumer<Entry> sink) {
        Long snapshotXmin = xmin;
        for (Row row : rows) {
            if (snapshotXmin == null) {
                snapshotXmin = Long.parseLong(row.getString("xmin"));
            }
            if (row.getString("kind") != null) {
                sink.accept(new Entry(row.getString("kind"), row.getString("value"), row.getLong("bound"),
                        row.getLong("exp")));
            }
        }
        return snapshotXmin;
    }
}
