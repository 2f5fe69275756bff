package io.storeman.oauth.keys;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.storeman.common.StoremanConfig;
import io.storeman.support.CodeFlow;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.security.KeyFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The private signing keys as PostgreSQL holds them: encrypted under the key-encryption key (K1), bound to their row
 * (K2), named by the KEK's id (K3), and brought under a new KEK, plain rows of earlier versions included (K4).
 */
@QuarkusTest
class KeysAtRestTest {

    @Inject
    SigningKeys keys;

    @Inject
    KeyRotationJob rotation;

    @Inject
    Pool pool;

    @Inject
    StoremanConfig config;

    /** The test profile's KEK, the only one the running server holds. */
    private KeyEncryption testKek() {
        return KeyEncryption.configured(config.keys().encryptionKey(), List.of());
    }

    @Test
    void startWhenKeysGeneratedThenDatabaseHoldsOnlyTheirCiphertextForEachAlgorithm() {
        for (SigningAlgorithm algorithm : SigningAlgorithm.values()) {
            SigningKey active = keys.active(algorithm);
            Row row = row(active.kid());
            String stored = row.getString("private_key");
            byte[] bytes = Base64.getDecoder().decode(stored);

            assertEquals(algorithm.name(), row.getString("algorithm"));
            assertEquals(testKek().current().orElseThrow(), row.getString("key_encryption"));
            assertNotEquals(Base64.getEncoder().encodeToString(active.privateKey().getEncoded()), stored);
            assertThrows(Exception.class, () -> KeyFactory.getInstance(active.privateKey().getAlgorithm())
                    .generatePrivate(new PKCS8EncodedKeySpec(bytes)), "what is stored is not a PKCS#8 key");
            assertArrayEquals(active.privateKey().getEncoded(), testKek().open(row.getString("key_encryption"),
                    stored, active.kid(), active.algorithm().name()), "the KEK decrypts it to the signing key");
        }
    }

    @Test
    void startWhenPlainRowOfAnEarlierVersionThenEncryptedUnderTheKek() {
        SigningKey legacy = SigningAlgorithm.ES256.newKey(2048);
        String kid = "test-plain-" + UUID.randomUUID();
        String plain = Base64.getEncoder().encodeToString(legacy.privateKey().getEncoded());
        insertPublished(kid, legacy.algorithm().name(), plain, null, KeyEncoding.stored(legacy.publicKey()));
        try {
            CodeFlow.await(rotation::ensureKeys); // as at the next start

            Row row = row(kid);
            assertEquals(testKek().current().orElseThrow(), row.getString("key_encryption"));
            assertNotEquals(plain, row.getString("private_key"));
            assertArrayEquals(legacy.privateKey().getEncoded(), testKek().open(row.getString("key_encryption"),
                    row.getString("private_key"), kid, "ES256"));
            CodeFlow.await(keys::load);
            assertEquals(legacy.privateKey(), keys.published(kid).orElseThrow().privateKey());
        } finally {
            delete(kid);
        }
    }

    @Test
    void rotationWhenNewKekWithTheOldAsPreviousThenEveryRowReencryptedAndTheOldKekAloneCannotRead() {
        CodeFlow.await(rotation::ensureKeys);
        Map<String, byte[]> before = plainKeys(testKek());
        String oldKek = config.keys().encryptionKey().orElseThrow();
        String newKek = KeyEncryptionTest.newKek();
        KeyEncryption rotated = KeyEncryption.configured(Optional.of(newKek), List.of(oldKek));
        try {
            assertEquals(before.size(), CodeFlow.await(() -> new SigningKeyStore(pool, rotated).reencrypt()));

            for (Row row : rows()) {
                assertEquals(rotated.current().orElseThrow(), row.getString("key_encryption"));
            }
            Map<String, byte[]> after = plainKeys(rotated);
            assertEquals(before.keySet(), after.keySet());
            before.forEach((kid, pkcs8) -> assertArrayEquals(pkcs8, after.get(kid), kid));
            assertEquals(0, CodeFlow.await(() -> new SigningKeyStore(pool, rotated).reencrypt()), "nothing left to do");

            SigningKeys withOldKekOnly = new SigningKeys(new SigningKeyStore(pool, config), config);
            IllegalStateException refused = assertThrows(IllegalStateException.class,
                    () -> CodeFlow.await(withOldKekOnly::load), "an instance without the new KEK does not start");
            assertTrue(refused.getMessage().contains(rotated.current().orElseThrow()), refused.getMessage());
        } finally {
            KeyEncryption back = KeyEncryption.configured(Optional.of(oldKek), List.of(newKek));
            CodeFlow.await(() -> new SigningKeyStore(pool, back).reencrypt());
        }
        assertEquals(before.keySet(), plainKeys(testKek()).keySet(), "back under the test profile's KEK");
    }

    @Test
    void loadWhenCiphertextMovedToAnotherKidThenRefused() {
        SigningKey active = keys.active();
        Row source = row(active.kid());
        String kid = "test-moved-" + UUID.randomUUID();
        insertPublished(kid, active.algorithm().name(), source.getString("private_key"),
                source.getString("key_encryption"), source.getString("public_key"));
        try {
            IllegalStateException refused = assertThrows(IllegalStateException.class,
                    () -> CodeFlow.await(keys::load));

            assertTrue(refused.getMessage().contains(kid + " does not decrypt"), refused.getMessage());
        } finally {
            delete(kid);
        }
    }

    private Row row(String kid) {
        return pool.preparedQuery("select * from signing_keys where kid = $1").execute(Tuple.of(kid))
                .await().indefinitely().iterator().next();
    }

    private List<Row> rows() {
        List<Row> rows = new ArrayList<>();
        pool.query("select * from signing_keys").execute().await().indefinitely().forEach(rows::add);
        return rows;
    }

    /** Every stored private key, decrypted with {@code encryption}, by kid. */
    private Map<String, byte[]> plainKeys(KeyEncryption encryption) {
        Map<String, byte[]> plain = new TreeMap<>();
        for (Row row : rows()) {
            String kid = row.getString("kid");
            plain.put(kid, encryption.open(row.getString("key_encryption"), row.getString("private_key"), kid,
                    row.getString("algorithm")));
        }
        return plain;
    }

    /** A key retired an hour ago and published for another hour: in the JWKS, never signing, never due. */
    private void insertPublished(String kid, String algorithm, String privateKey, String encryption,
            String publicKey) {
        pool.preparedQuery("insert into signing_keys (kid, algorithm, private_key, key_encryption, public_key,"
                        + " activates_at, retires_at, expires_at) values ($1, $2, $3, $4, $5,"
                        + " now() - interval '2 hours', now() - interval '1 hour', now() + interval '1 hour')")
                .execute(Tuple.of(kid, algorithm, privateKey, encryption, publicKey))
                .await().indefinitely();
    }

    private void delete(String kid) {
        pool.preparedQuery("delete from signing_keys where kid = $1").execute(Tuple.of(kid)).await().indefinitely();
        CodeFlow.await(keys::load);
    }
}
