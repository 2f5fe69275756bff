package io.storeman.oauth.keys;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.storeman.common.StoremanConfig;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * The signing keys, shared by every instance through the database.
 * <ul>
 * <li>The first instance to start generates the first key (under an advisory lock, so two starting together agree
 * on one) for the configured {@code algorithm}. A deployment may supply its own PEM instead; such a key never
 * rotates, and signs with the algorithm of its type.</li>
 * <li>Rotation: once the signing key is {@code rotation-period} minus {@code publish-lead} old, one instance (the
 * one that takes the advisory lock, re-checking under it) inserts the next key with {@code activates_at} =
 * now + {@code publish-lead}, and in the same transaction gives the current key {@code retires_at} = that moment
 * and {@code expires_at} = that moment + the access-token lifetime + {@code retire-margin}. A signing key of another
 * algorithm than the configured one makes the rotation due at once, so switching algorithms is a rotation.</li>
 * <li>Every instance re-reads the keys each {@code reload-interval} (and soon after meeting an unknown {@code kid}),
 * publishes every unexpired key in the JWKS, and signs with the newest key whose {@code activates_at} has passed,
 * judged at signing time. So the next key is in every JWKS a whole lead before anyone signs with it, and a retired
 * key stays published until every token it signed has expired.</li>
 * <li>Private keys are stored encrypted under the key-encryption key ({@link KeyEncryption}, K1-K3). At start, under
 * the advisory lock, and at each rotation check, an instance re-encrypts under its current KEK every row it can read
 * that is not under it yet: plain rows of earlier versions, and rows under a previous KEK (K4).</li>
 * </ul>
 */
@ApplicationScoped
public class SigningKeys {

    /** How long clients may cache the JWKS; the publish lead of the next key must exceed it. */
    public static final int JWKS_MAX_AGE_SECONDS = 300;
    private static final Logger LOG = Logger.getLogger(SigningKeys.class);
    private static final long KEY_LOCK = 0x53544f52454d414eL; // "STOREMAN"
    /** An unknown kid triggers a reload at most this often, so garbage tokens cannot hammer the database. */
    private static final Duration UNKNOWN_KID_RELOAD_SPACING = Duration.ofSeconds(5);
    private static final Pattern SANE_KID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    /** Rows of keys that left the JWKS this long ago are deleted. */
    private static final Duration KEEP_EXPIRED = Duration.ofDays(1);
    /** The rows not under the current KEK ($1) whose key is plain or under one of the previous KEKs ($2). */
    private static final String NOT_UNDER_CURRENT = " where key_encryption is distinct from $1"
            + " and (key_encryption is null or key_encryption = any($2))";

    private final Pool pool;
    private final StoremanConfig config;
    private final SigningAlgorithm algorithm;
    private final SignatureProvider signatures;
    private final KeyEncryption encryption;
    private final Optional<SigningKey> configured;
    private final AtomicLong lastUnknownKidReload = new AtomicLong(System.nanoTime() - Duration.ofHours(1).toNanos());
    private volatile Keys keys;

    SigningKeys(Pool pool, StoremanConfig config) {
        this.pool = pool;
        this.config = config;
        this.algorithm = SigningAlgorithm.configured(config.keys().algorithm());
        this.signatures = SignatureProvider.of(config.keys().nativeSignatures());
        this.encryption = KeyEncryption.configured(config.keys().encryptionKey(),
                config.keys().previousEncryptionKeys().orElse(List.of()));
        this.configured = config.keys().privateKeyPem().filter(value -> !value.isBlank()).map(KeyEncoding::fromPem)
                .map(key -> key.signedBy(signatures));
    }

    /** A key as stored: when it starts signing, when it stops, and when it leaves the JWKS (null: not planned). */
    public record StoredKey(SigningKey key, Instant activatesAt, Instant retiresAt, Instant expiresAt) {
    }

    /** What this instance knows: the published keys, newest activation first, and their JWKS document. */
    private record Keys(List<StoredKey> all, Map<String, SigningKey> published, String jwks) {
    }

    void onStart(@Observes StartupEvent event) throws Throwable {
        Duration needed = Duration.ofSeconds(JWKS_MAX_AGE_SECONDS).plus(config.keys().reloadInterval());
        if (configured.isEmpty() && config.keys().publishLead().compareTo(needed) <= 0) {
            LOG.warnf("storeman.keys.publish-lead (%s) should exceed the JWKS max-age plus the reload interval (%s)",
                    config.keys().publishLead(), needed);
        }
        VertxContextSupport.subscribeAndAwait(() -> ensureKey().chain(this::load));
    }

    /** Whether a signing key has been loaded (start-up is complete). */
    public boolean isLoaded() {
        return keys != null;
    }

    /** The key new tokens are signed with: the newest whose activation time has come. */
    public SigningKey active() {
        List<StoredKey> all = keys.all();
        Instant now = Instant.now();
        for (StoredKey key : all) {
            if (!key.activatesAt().isAfter(now)) {
                return key.key();
            }
        }
        return all.get(all.size() - 1).key();
    }

    /**
     * The key named by a {@code kid}, if this server publishes it; verify with its public key and only its algorithm.
     * An unknown kid prompts an early reload.
     */
    public Optional<SigningKey> published(String kid) {
        if (kid == null) {
            return Optional.empty();
        }
        SigningKey key = keys.published().get(kid);
        if (key == null) {
            reloadSoon(kid);
        }
        return Optional.ofNullable(key);
    }

    /** The JWK Set document (RFC 7517) of every published key. */
    public String jwks() {
        return keys.jwks();
    }

    /** The keys this instance knows, newest activation first. */
    public List<StoredKey> known() {
        return keys.all();
    }

    /**
     * Re-reads the keys every reload interval, so a key another instance created is published here too. The
     * scheduler's first round can come before start-up has made and loaded the first key; start-up loads them then.
     */
    @Scheduled(identity = "storeman-keys-reload", every = "${storeman.keys.reload-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> reload() {
        if (!isLoaded()) {
            return Uni.createFrom().voidItem();
        }
        return load().onFailure().recoverWithItem(failure -> {
            LOG.warnf("Reloading signing keys failed: %s", failure.getMessage());
            return null;
        });
    }

    /**
     * Rotates when due; one instance does it, the others see the new key at their next reload. Then re-encrypts any
     * key not under the current KEK, such as one an instance of an earlier version or with an earlier KEK wrote during
     * a rolling restart (K4).
     */
    @Scheduled(identity = "storeman-keys-rotation", every = "${storeman.keys.rotation-check-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduledRotation() {
        return rotateIfDue(config.keys().rotationPeriod(), config.keys().publishLead())
                .onFailure().recoverWithItem(failure -> {
                    LOG.warnf("Signing key rotation failed: %s", failure.getMessage());
                    return false;
                })
                .chain(() -> reencrypt(pool, encryption))
                .onFailure().recoverWithItem(failure -> {
                    LOG.warnf("Re-encrypting signing keys failed: %s", failure.getMessage());
                    return 0;
                })
                .replaceWithVoid();
    }

    /**
     * Publishes the next key when the newest key has signed for {@code period - lead}, or signs with another algorithm
     * than the configured one, and no key is waiting to activate; the next key then signs from {@code lead} from now.
     * Answers whether this call rotated. Safe to call from any number of instances at once: only the holder of the
     * advisory lock acts, after checking again.
     */
    public Uni<Boolean> rotateIfDue(Duration period, Duration lead) {
        if (configured.isPresent()) {
            return Uni.createFrom().item(false);
        }
        long dueAfterSeconds = Math.max(0, period.minus(lead).toSeconds());
        return isDue(pool, dueAfterSeconds, algorithm)
                .chain(due -> due ? rotate(dueAfterSeconds, lead) : Uni.createFrom().item(false));
    }

    private Uni<Boolean> rotate(long dueAfterSeconds, Duration lead) {
        Uni<SigningKey> next = Uni.createFrom().item(() -> algorithm.newKey(config.keys().rsaKeySize()))
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
        return next.chain(key -> pool.withTransaction(connection -> connection
                        .preparedQuery("select pg_try_advisory_xact_lock($1) as locked").execute(Tuple.of(KEY_LOCK))
                        .chain(rows -> rows.iterator().next().getBoolean("locked")
                                ? isDue(connection, dueAfterSeconds, algorithm)
                                : Uni.createFrom().item(false))
                        .chain(due -> due ? publishNext(connection, key, lead).replaceWith(true)
                                : Uni.createFrom().item(false)))
                .call(rotated -> rotated ? load() : Uni.createFrom().voidItem())
                .invoke(rotated -> {
                    if (rotated) {
                        LOG.infof("Published the next signing key %s (%s); it signs %s from now", key.kid(),
                                key.algorithm(), lead);
                    }
                }));
    }

    /**
     * Whether no key waits to activate and the newest key activated at least {@code dueAfterSeconds} ago or signs
     * with another algorithm than {@code algorithm}.
     */
    private static Uni<Boolean> isDue(SqlClient client, long dueAfterSeconds, SigningAlgorithm algorithm) {
        return client.preparedQuery("select coalesce(max(activates_at) <= now() - $1::bigint * interval '1 second'"
                + " or (max(activates_at) <= now() and bool_or(algorithm <> $2)), false) as due from signing_keys"
                + " where retires_at is null and (expires_at is null or expires_at > now())")
                .execute(Tuple.of(dueAfterSeconds, algorithm.name()))
                .map(rows -> rows.iterator().next().getBoolean("due"));
    }

    /** Retires the current key(s) when the next one activates, and inserts the next one. */
    private Uni<Void> publishNext(SqlConnection connection, SigningKey key, Duration lead) {
        Duration tokenLifetime = config.accessTokenTtl().plus(config.keys().retireMargin());
        Tuple times = Tuple.of(lead.toSeconds(), tokenLifetime.toSeconds());
        return connection.preparedQuery("update signing_keys set retires_at = now() + $1::bigint * interval '1 second',"
                        + " expires_at = now() + ($1::bigint + $2::bigint) * interval '1 second'"
                        + " where retires_at is null")
                .execute(times)
                .chain(() -> insert(connection, key, lead))
                .chain(() -> connection.preparedQuery("delete from signing_keys where expires_at < now() - $1::bigint"
                        + " * interval '1 second'").execute(Tuple.of(KEEP_EXPIRED.toSeconds())))
                .replaceWithVoid();
    }

    /**
     * At start, under the lock: re-encrypts the stored keys not under the current KEK (K4), then makes sure a usable
     * key exists, creating the first one (or a fresh one after a long sleep). With a configured PEM no stored key is
     * used, but any left from before is still brought under the KEK when one is set.
     */
    Uni<Void> ensureKey() {
        if (configured.isPresent() && encryption.current().isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return pool.withTransaction(connection -> connection
                .preparedQuery("select pg_advisory_xact_lock($1)").execute(Tuple.of(KEY_LOCK))
                .chain(() -> sealUnderCurrent(connection, encryption))
                .chain(() -> configured.isPresent() ? Uni.createFrom().voidItem() : ensureUsableKey(connection)));
    }

    private Uni<Void> ensureUsableKey(SqlConnection connection) {
        return connection.query("select count(*) as usable from signing_keys where retires_at is null"
                        + " and (expires_at is null or expires_at > now())").execute()
                .chain(rows -> rows.iterator().next().getLong("usable") > 0
                        ? Uni.createFrom().voidItem()
                        : insert(connection, algorithm.newKey(config.keys().rsaKeySize()), Duration.ZERO));
    }

    /**
     * Re-encrypts under {@code encryption}'s current KEK every stored key it can read that is not under it (K4), when
     * there is one and this instance takes the advisory lock (else another instance is at it, or rotating). Answers
     * how many keys it re-encrypted.
     */
    static Uni<Integer> reencrypt(Pool pool, KeyEncryption encryption) {
        if (encryption.current().isEmpty()) {
            return Uni.createFrom().item(0);
        }
        return pool.preparedQuery("select exists (select 1 from signing_keys" + NOT_UNDER_CURRENT + ") as stale")
                .execute(Tuple.of(encryption.current().get(), encryption.previous().toArray(String[]::new)))
                .chain(rows -> !rows.iterator().next().getBoolean("stale") ? Uni.createFrom().item(0)
                        : pool.withTransaction(connection -> connection
                                .preparedQuery("select pg_try_advisory_xact_lock($1) as locked")
                                .execute(Tuple.of(KEY_LOCK))
                                .chain(locked -> locked.iterator().next().getBoolean("locked")
                                        ? sealUnderCurrent(connection, encryption)
                                        : Uni.createFrom().item(0))));
    }

    /**
     * With the advisory lock held: re-encrypts the rows of {@link #NOT_UNDER_CURRENT}, each in one update that
     * applies only if the row is still as read.
     */
    private static Uni<Integer> sealUnderCurrent(SqlConnection connection, KeyEncryption encryption) {
        if (encryption.current().isEmpty()) {
            return Uni.createFrom().item(0);
        }
        String current = encryption.current().get();
        return connection.preparedQuery("select kid, algorithm, private_key, key_encryption from signing_keys"
                        + NOT_UNDER_CURRENT)
                .execute(Tuple.of(current, encryption.previous().toArray(String[]::new)))
                .chain(rows -> {
                    List<Tuple> updates = new ArrayList<>();
                    for (Row row : rows) {
                        String kid = row.getString("kid");
                        String alg = row.getString("algorithm");
                        String was = row.getString("key_encryption");
                        byte[] pkcs8 = encryption.open(was, row.getString("private_key"), kid, alg);
                        KeyEncryption.Sealed sealed = encryption.seal(pkcs8, kid, alg);
                        Arrays.fill(pkcs8, (byte) 0);
                        updates.add(Tuple.of(sealed.privateKey(), sealed.encryption(), kid,
                                row.getString("private_key"), was));
                    }
                    if (updates.isEmpty()) {
                        return Uni.createFrom().item(0);
                    }
                    return connection.preparedQuery("update signing_keys set private_key = $1, key_encryption = $2"
                                    + " where kid = $3 and private_key = $4 and key_encryption is not distinct from $5")
                            .executeBatch(updates)
                            .map(result -> updates.size())
                            .invoke(count -> LOG.infof("Re-encrypted %d signing key(s) under the key-encryption key"
                                    + " %s", count, current));
                });
    }

    /** Reads the published keys from the database. */
    public Uni<Void> load() {
        if (configured.isPresent()) {
            SigningKey key = configured.get();
            keys = keysOf(List.of(new StoredKey(key, Instant.EPOCH, null, null)));
            return Uni.createFrom().voidItem();
        }
        return pool.query("select kid, algorithm, private_key, key_encryption, public_key, activates_at,"
                        + " retires_at, expires_at from signing_keys where expires_at is null or expires_at > now()"
                        + " order by activates_at desc, created_at desc").execute()
                .invoke(this::apply)
                .replaceWithVoid();
    }

    private void apply(RowSet<Row> rows) {
        Map<String, SigningKey> decoded = new HashMap<>();
        if (keys != null) {
            keys.all().forEach(stored -> decoded.put(stored.key().kid(), stored.key()));
        }
        List<StoredKey> all = new ArrayList<>();
        for (Row row : rows) {
            String kid = row.getString("kid");
            SigningKey key = decoded.computeIfAbsent(kid, k -> decode(row).signedBy(signatures));
            all.add(new StoredKey(key, instant(row, "activates_at"), instant(row, "retires_at"),
                    instant(row, "expires_at")));
        }
        if (all.isEmpty()) {
            throw new IllegalStateException("No signing key is published");
        }
        keys = keysOf(all);
    }

    private SigningKey decode(Row row) {
        String kid = row.getString("kid");
        String alg = row.getString("algorithm");
        byte[] pkcs8 = encryption.open(row.getString("key_encryption"), row.getString("private_key"), kid, alg);
        try {
            return KeyEncoding.decode(kid, alg, pkcs8, row.getString("public_key"));
        } finally {
            Arrays.fill(pkcs8, (byte) 0);
        }
    }

    private void reloadSoon(String kid) {
        if (configured.isPresent() || !SANE_KID.matcher(kid).matches()) {
            return;
        }
        long now = System.nanoTime();
        long last = lastUnknownKidReload.get();
        if (now - last >= UNKNOWN_KID_RELOAD_SPACING.toNanos() && lastUnknownKidReload.compareAndSet(last, now)) {
            reload().subscribe().with(done -> { }, failure -> { });
        }
    }

    private static Instant instant(Row row, String column) {
        var value = row.getOffsetDateTime(column);
        return value == null ? null : value.toInstant();
    }

    private static Keys keysOf(List<StoredKey> all) {
        Map<String, SigningKey> published = new LinkedHashMap<>();
        all.forEach(stored -> published.put(stored.key().kid(), stored.key()));
        return new Keys(List.copyOf(all), Map.copyOf(published),
                KeyEncoding.jwks(all.stream().map(StoredKey::key).toList()));
    }

    /** Stores a new key, its private part encrypted under the current KEK (K1). */
    private Uni<Void> insert(SqlConnection connection, SigningKey key, Duration lead) {
        KeyEncryption.Sealed sealed = encryption.seal(key.privateKey().getEncoded(), key.kid(),
                key.algorithm().name());
        return connection.preparedQuery("insert into signing_keys (kid, algorithm, private_key, key_encryption,"
                        + " public_key, activates_at) values ($1, $2, $3, $4, $5,"
                        + " now() + $6::bigint * interval '1 second')")
                .execute(Tuple.of(key.kid(), key.algorithm().name(), sealed.privateKey(), sealed.encryption(),
                        KeyEncoding.stored(key.publicKey()), lead.toSeconds()))
                .replaceWithVoid();
    }
}
