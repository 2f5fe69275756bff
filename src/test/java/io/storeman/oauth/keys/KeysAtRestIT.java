package io.storeman.oauth.keys;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.storeman.support.AppInstance;
import java.security.KeyFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The packaged server in the production profile: it refuses to keep signing keys in the database without a
 * key-encryption key (K5), and once started with one, PostgreSQL holds no private key in the clear (K1, K4).
 */
class KeysAtRestIT {

    @Test
    void startWhenNoKeyEncryptionKeyThenRefusedNamingTheEnvironmentVariable() throws Exception {
        try (AppInstance instance = AppInstance.start("it-keys-no-kek", AppInstance.LOCAL_DATABASE,
                Map.of("STOREMAN_KEYS_ENCRYPTION_KEY", ""))) {
            assertNotEquals(0, instance.awaitExit(AppInstance.START_TIMEOUT), "the start fails");

            List<String> refusals = instance.log().stream()
                    .filter(line -> line.contains("Refusing to start in production"))
                    .toList();
            assertFalse(refusals.isEmpty(), instance.logTail());
            assertTrue(refusals.get(0).contains("no key-encryption key is set: set STOREMAN_KEYS_ENCRYPTION_KEY"),
                    refusals.get(0));
        }
    }

    @Test
    void startWhenKekThenEveryStoredPrivateKeyIsEncryptedUnderIt() throws Exception {
        KeyEncryption kek = KeyEncryption.configured(Optional.of(AppInstance.ENCRYPTION_KEY), List.of());
        try (AppInstance instance = AppInstance.start("it-keys-at-rest", AppInstance.LOCAL_DATABASE, Map.of())) {
            instance.awaitReady(AppInstance.START_TIMEOUT);
        }
        Set<String> algorithms = new TreeSet<>();
        try (Connection db = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/postgres?currentSchema="
                + AppInstance.schema(), "postgres", null);
                Statement statement = db.createStatement();
                ResultSet row = statement.executeQuery(
                        "select kid, algorithm, private_key, key_encryption from signing_keys")) {
            while (row.next()) {
                String kid = row.getString("kid");
                String algorithm = row.getString("algorithm");
                algorithms.add(algorithm);
                String stored = row.getString("private_key");
                KeyFactory factory = KeyFactory.getInstance(SigningAlgorithm.valueOf(algorithm).keyType());

                assertEquals(kek.current().orElseThrow(), row.getString("key_encryption"), kid);
                assertThrows(Exception.class, () -> factory.generatePrivate(
                        new PKCS8EncodedKeySpec(Base64.getDecoder().decode(stored))), kid + " is not stored plain");
                byte[] pkcs8 = kek.open(row.getString("key_encryption"), stored, kid, algorithm);
                assertArrayEquals(pkcs8, factory.generatePrivate(new PKCS8EncodedKeySpec(pkcs8)).getEncoded(), kid);
            }
        }
        assertEquals(Set.of("ES256", "RS256"), algorithms, "the instance keeps a key of each algorithm there");
    }
}
