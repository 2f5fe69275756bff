package io.storeman.oauth.keys;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.storeman.common.StoremanConfig;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * The {@code signing_keys} table, shared by every instance, and the advisory lock under which instances change it:
 * one instance at a time creates the first key of an algorithm, rotates an algorithm's keys, or re-encrypts. Whatever
 * it decides under the lock, it decides by re-reading the rows and asking their {@link KeyRing}, at the database's
 * {@code now()}.
 * <p>
 * Private keys are stored encrypted under the key-encryption key ({@link KeyEncryption}, K1-K3); rows not under the
 * current KEK yet (plain rows of earlier versions, rows under a previous KEK) are re-encrypted under it (K4).
 */
@ApplicationScoped
public class SigningKeyStore {

    private static final Logger LOG = Logger.getLogger(SigningKeyStore.class);
    private static final long KEY_LOCK = 0x53544f52454d414eL; // "STOREMAN"
    /** Rows of keys that left the JWKS this long ago are deleted. */
    private static final Duration KEEP_EXPIRED = Duration.ofDays(1);
    /** The rows not under the current KEK ($1) whose key is plain or under one of the previous KEKs ($2). */
    private static final String NOT_UNDER_CURRENT = " where key_encryption is distinct from $1"
            + " and (key_encryption is null or key_encryption = any($2))";

    private final Pool pool;
    private final KeyEncryption encryption;

    @Inject
    SigningKeyStore(Pool pool, StoremanConfig config) {
        this(pool, KeyEncryption.configured(config.keys().encryptionKey(),
                config.keys().previousEncryptionKeys().orElse(List.of())));
    }

    SigningKeyStore(Pool pool, KeyEncryption encryption) {
        this.pool = pool;
        this.encryption = encryption;
    }

    /**
     * The unexpired stored keys, newest activation first, but for those of the algorithm a supplied key of
     * {@code known} covers (O2), which are not even read. A key of {@code known} is taken from it rather than
     * decrypted again; any other row is decrypted and decoded (failing when the KEK cannot read it).
     */
    public Uni<List<StoredKey>> load(KeyRing known) {
        return load(pool, known);
    }

    /**
     * At start, waiting for the advisory lock: re-encrypts the rows not under the current KEK (K4), then, for each
     * algorithm the stored keys (and the supplied key of {@code known}, which covers its algorithm) leave without a
     * usable key, stores the key {@code make} makes, to sign at once (the first start; the first start of this version
     * beside keys of one algorithm; the first after a sleep longer than a key's life). Under the lock, so that
     * instances starting together agree on one key per algorithm. {@code make} must generate off the event loop: an
     * RSA key takes a while.
     */
    public Uni<Void> ensureKeys(KeyRing known, Function<SigningAlgorithm, Uni<SigningKey>> make) {
        return pool.withTransaction(connection -> lock(connection)
                .call(now -> sealUnderCurrent(connection))
                .chain(now -> load(connection, known)
                        .map(known::withStored)
                        .chain(ring -> insertFirstKeys(connection, ring, now, make))));
    }

    private Uni<Void> insertFirstKeys(SqlConnection connection, KeyRing ring, Instant now,
            Function<SigningAlgorithm, Uni<SigningKey>> make) {
        Instant activatesAt = ring.firstActivation(now);
        return Multi.createFrom().iterable(ring.missing(now))
                .onItem().transformToUniAndConcatenate(algorithm -> make.apply(algorithm)
                        .call(key -> insert(connection, key, activatesAt))
                        .invoke(key -> LOG.infof("Made the first %s signing key %s", algorithm, key.kid())))
                .collect().last()
                .replaceWithVoid();
    }

    /**
     * Rotates if this instance takes the advisory lock (else another instance is rotating or re-encrypting) and the
     * ring of the rows, re-read under it, still finds a rotation of {@code next}'s algorithm due at the database's
     * time: retires the current key(s) of that algorithm, stores {@code next} to activate at the end of the lead, and
     * deletes rows long expired, in one transaction. Answers the rotation done, if any.
     */
    public Uni<Optional<KeyRing.Rotation>> rotate(KeyRing known, KeyRing.Policy policy, SigningKey next) {
        return pool.withTransaction(connection -> tryLock(connection, now -> load(connection, known)
                .map(keys -> known.withStored(keys).rotation(now, policy, next.algorithm()))
                .call(rotation -> rotation.isEmpty() ? Uni.createFrom().voidItem()
                        : retire(connection, rotation.get())
                                .chain(() -> insert(connection, next, rotation.get().activatesAt()))
                                .chain(() -> deleteExpired(connection)))))
                .map(rotation -> rotation.flatMap(Function.identity()));
    }

    /**
     * Re-encrypts under the current KEK every stored key it can read that is not under it (K4), when there is one
     * and this instance takes the advisory lock (else another instance is at it, or rotating). Answers how many
     * keys it re-encrypted.
     */
    public Uni<Integer> reencrypt() {
        if (encryption.current().isEmpty()) {
            return Uni.createFrom().item(0);
        }
        return pool.preparedQuery("select exists (select 1 from signing_keys" + NOT_UNDER_CURRENT + ") as stale")
                .execute(Tuple.of(encryption.current().get(), encryption.previous().toArray(String[]::new)))
                .chain(rows -> !rows.iterator().next().getBoolean("stale") ? Uni.createFrom().item(0)
                        : pool.withTransaction(connection -> tryLock(connection, now -> sealUnderCurrent(connection)))
                                .map(sealed -> sealed.orElse(0)));
    }

    /** Waits for the advisory lock, held until the transaction ends; answers the database's time. */
    private static Uni<Instant> lock(SqlConnection connection) {
        return connection.preparedQuery("select now() as now from pg_advisory_xact_lock($1)")
                .execute(Tuple.of(KEY_LOCK))
                .map(rows -> rows.iterator().next().getOffsetDateTime("now").toInstant());
    }

    /**
     * Runs {@code locked} with the database's time if the advisory lock is free, holding the lock until the
     * transaction ends; answers empty if another holds it.
     */
    private static <T> Uni<Optional<T>> tryLock(SqlConnection connection, Function<Instant, Uni<T>> locked) {
        return connection.preparedQuery("select pg_try_advisory_xact_lock($1) as locked, now() as now")
                .execute(Tuple.of(KEY_LOCK))
                .map(rows -> rows.iterator().next())
                .chain(row -> row.getBoolean("locked")
                        ? locked.apply(row.getOffsetDateTime("now").toInstant()).map(Optional::ofNullable)
                        : Uni.createFrom().item(Optional.<T>empty()));
    }

    private Uni<List<StoredKey>> load(SqlClient client, KeyRing known) {
        return client.query("select kid, algorithm, private_key, key_encryption, public_key, activates_at,"
                        + " retires_at, expires_at from signing_keys where expires_at is null or expires_at > now()"
                        + " order by activates_at desc, created_at desc").execute()
                .map(rows -> {
                    List<StoredKey> keys = new ArrayList<>();
                    for (Row row : rows) {
                        String algorithm = row.getString("algorithm");
                        if (known.supplied().filter(key -> key.algorithm().name().equals(algorithm)).isPresent()) {
                            continue;
                        }
                        SigningKey key = known.key(row.getString("kid")).orElseGet(() -> decode(row));
                        keys.add(new StoredKey(key, instant(row, "activates_at"), instant(row, "retires_at"),
                                instant(row, "expires_at")));
                    }
                    return keys;
                });
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

    /** Stores a new key to activate at {@code activatesAt}, its private part encrypted under the current KEK (K1). */
    private Uni<Void> insert(SqlConnection connection, SigningKey key, Instant activatesAt) {
        KeyEncryption.Sealed sealed = encryption.seal(key.privateKey().getEncoded(), key.kid(),
                key.algorithm().name());
        return connection.preparedQuery("insert into signing_keys (kid, algorithm, private_key, key_encryption,"
                        + " public_key, activates_at) values ($1, $2, $3, $4, $5, $6)")
                .execute(Tuple.of(key.kid(), key.algorithm().name(), sealed.privateKey(), sealed.encryption(),
                        KeyEncoding.stored(key.publicKey()), timestamp(activatesAt)))
                .replaceWithVoid();
    }

    /** Plans the retirement and expiry of the keys the rotation retires. */
    private static Uni<Void> retire(SqlConnection connection, KeyRing.Rotation rotation) {
        return connection.preparedQuery("update signing_keys set retires_at = $1, expires_at = $2"
                        + " where kid = any($3) and retires_at is null")
                .execute(Tuple.of(timestamp(rotation.retiresAt()), timestamp(rotation.expiresAt()),
                        rotation.retiring().toArray(String[]::new)))
                .replaceWithVoid();
    }

    /** Deletes the rows of keys that left the JWKS more than {@link #KEEP_EXPIRED} ago. */
    private static Uni<Void> deleteExpired(SqlConnection connection) {
        return connection.preparedQuery("delete from signing_keys where expires_at < now() - $1::bigint"
                        + " * interval '1 second'").execute(Tuple.of(KEEP_EXPIRED.toSeconds()))
                .replaceWithVoid();
    }

    /**
     * With the advisory lock held: re-encrypts the rows of {@link #NOT_UNDER_CURRENT}, each in one update that
     * applies only if the row is still as read.
     */
    private Uni<Integer> sealUnderCurrent(SqlConnection connection) {
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

    private static Instant instant(Row row, String column) {
        OffsetDateTime value = row.getOffsetDateTime(column);
        return value == null ? null : value.toInstant();
    }

    private static OffsetDateTime timestamp(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
